using PiHub.Configuration;

namespace PiHub.Server.Tests.Configuration;

public sealed class RecorderConfigTests
{
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
    public void Load_NoRecorderSection_TenDaysFiveSecondsEverything()
    {
        var recorder = Load("hub: {name: Home}\n").Recorder;

        Assert.That((recorder.Enabled, recorder.PurgeKeepDays, recorder.CommitInterval), Is.EqualTo((true, 10, TimeSpan.FromSeconds(5))));
        Assert.That(recorder.Filter.Records("sensor.anything"), Is.True);
    }

    [Test]
    public void Load_FullSection_ReadsEveryKey()
    {
        var recorder = Load("""
            recorder:
              purge_keep_days: 3
              commit_interval: 30
              include:
                domains: [sensor, light]
                entities: [switch.pump]
              exclude:
                domains: [sun]
                entities: [sensor.noisy]
                event_types: [webhook]
            """).Recorder;

        Assert.That((recorder.PurgeKeepDays, recorder.CommitInterval), Is.EqualTo((3, TimeSpan.FromSeconds(30))));
        Assert.That(new[] { "sensor.a", "light.b", "switch.pump", "switch.other", "sensor.noisy" }.Select(recorder.Filter.Records),
            Is.EqualTo(new[] { true, true, true, false, false }));
        Assert.That(recorder.Filter.RecordsEvent("webhook"), Is.False);
    }

    [TestCase("recorder:\n  purge_keep_days: 0\n", "recorder.purge_keep_days", "\"0\"", "1 to 3650")]
    [TestCase("recorder:\n  commit_interval: soon\n", "recorder.commit_interval", "\"soon\"", "1 to 3600")]
    [TestCase("recorder:\n  exclude:\n    entities: [kitchen]\n", "recorder.exclude.entities", "\"kitchen\"", "sensor.kitchen_temperature")]
    [TestCase("recorder:\n  include:\n    domains: [Sensor!]\n", "recorder.include.domains", "\"Sensor!\"", "lowercase")]
    [TestCase("recorder:\n  include: sensor\n", "recorder.include", "\"sensor\"", "domains: [...]")]
    [TestCase("recorder:\n  keep_days: 5\n", "recorder.keep_days", "Unknown setting", "purge_keep_days")]
    [TestCase("recorder:\n  exclude:\n    device_classes: [x]\n", "recorder.exclude.device_classes", "Unknown setting", "event_types")]
    public void Load_BadValue_NamesKeyValueAndWhatIsAccepted(string yaml, string key, string value, string accepted)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml))!;

        Assert.That(error.Message, Does.Contain(key).And.Contain(value).And.Contain(accepted));
    }
}
