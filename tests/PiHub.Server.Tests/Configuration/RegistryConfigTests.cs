using PiHub.Configuration;

namespace PiHub.Server.Tests.Configuration;

/// <summary><c>areas</c>, <c>floors</c>, <c>labels</c> and the <c>area</c> / <c>labels</c> of each helper.</summary>
public class RegistryConfigTests
{
    private const string Valid = """
        input_boolean:
          porch_light:
            name: Porch light
            area: porch
            labels: [lights]
        floors:
          - id: ground
            name: Ground floor
            level: 0
            icon: mdi:home-floor-0
        areas:
          - id: porch
            name: Porch
            floor: ground
            icon: mdi:door
          - id: kitchen
            name: Kitchen
        labels:
          - id: lights
            name: Lights
            color: amber
            icon: mdi:lightbulb-group
            description: Everything that lights up
        """;

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("pihub-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private PiHubOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "pihub.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load(["--config", path], defaultPath: "/nonexistent/pihub.yaml").Options;
    }

    [Test]
    public void Load_ExampleOfShippedFile_ReadsAreasFloorsLabelsAndHelperReferences()
    {
        var options = Load(Valid);

        Assert.That(options.Registries.Areas.Select(a => (a.AreaId, a.Name, a.FloorId, a.Icon)),
            Is.EqualTo(new[] { ("porch", "Porch", (string?)"ground", (string?)"mdi:door"), ("kitchen", "Kitchen", null, null) }));
        Assert.That(options.Registries.Floors.Single().Level, Is.Zero);
        Assert.That(options.Registries.Labels.Single().Color, Is.EqualTo("amber"));
        Assert.That(options.Registries.Labels.Single().Description, Is.EqualTo("Everything that lights up"));
        Assert.That(options.InputBooleans.Single().Area, Is.EqualTo("porch"));
        Assert.That(options.InputBooleans.Single().Labels, Is.EqualTo(new[] { "lights" }));
    }

    [Test]
    public void Load_NoRegistrySections_Empty()
    {
        var options = Load("hub:\n  name: Home\n");

        Assert.That(options.Registries.Areas, Is.Empty);
        Assert.That(options.Registries.Floors, Is.Empty);
        Assert.That(options.Registries.Labels, Is.Empty);
    }

    [TestCase("area: porch", "area: porhc", "input_boolean.porch_light.area", "porhc", "porch, kitchen")]
    [TestCase("labels: [lights]", "labels: [light]", "input_boolean.porch_light.labels", "light", "lights")]
    [TestCase("floor: ground", "floor: attic", "areas.0.floor", "attic", "ground")]
    [TestCase("color: amber", "color: Amber!", "labels.0.color", "Amber!", "#ff8800")]
    [TestCase("icon: mdi:door", "icon: door", "areas.0.icon", "door", "prefix:name")]
    [TestCase("level: 0", "level: first", "floors.0.level", "first", "whole number")]
    [TestCase("- id: kitchen", "- id: Kitchen Area", "areas.1.id", "Kitchen Area", "lowercase letters")]
    [TestCase("- id: kitchen", "- id: porch", "areas.1.id", "porch", "not used by another entry")]
    public void Load_BadValue_NamesKeyValueAndAccepted(string good, string bad, string key, string value, string accepted)
    {
        var ex = Assert.Throws<ConfigException>(() => Load(Valid.Replace(good, bad, StringComparison.Ordinal)));

        Assert.That(ex!.Message, Does.Contain(key).And.Contain($"\"{value}\"").And.Contain(accepted));
    }

    [Test]
    public void Load_AreaReferenceWithNoAreasDefined_SaysNoneDefined()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("input_boolean:\n  fan:\n    area: attic\n"));

        Assert.That(ex!.Message, Does.Contain("input_boolean.fan.area").And.Contain("none is defined yet"));
    }

    [Test]
    public void Load_AreasAsMapping_SaysItMustBeAList()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("areas:\n  kitchen:\n    name: Kitchen\n"));

        Assert.That(ex!.Message, Does.Contain("areas").And.Contain("must be a list").And.Contain("- id: kitchen"));
    }

    [Test]
    public void Load_UnknownKeyInArea_ListsAcceptedKeys()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("areas:\n  - id: kitchen\n    colour: red\n"));

        Assert.That(ex!.Message, Does.Contain("areas.0.colour").And.Contain("floor").And.Contain("icon"));
    }

    [Test]
    public void Load_AreaWithoutId_SaysIdIsMissing()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("areas:\n  - name: Kitchen\n"));

        Assert.That(ex!.Message, Does.Contain("areas.0.id").And.Contain("missing"));
    }

    [Test]
    public void Load_UpperCaseKeysAsEnvironmentVariablesGiveThem_Read()
    {
        var options = ConfigLoader.Load([], new Dictionary<string, string?>
        {
            ["AREAS:0:ID"] = "garage",
            ["AREAS:0:NAME"] = "Garage",
            ["INPUT_BOOLEAN:DOOR:AREA"] = "garage",
        }, defaultPath: "/nonexistent/pihub.yaml").Options;

        Assert.That(options.Registries.Areas.Single().AreaId, Is.EqualTo("garage"));
        Assert.That(options.InputBooleans.Single().Area, Is.EqualTo("garage"));
    }
}
