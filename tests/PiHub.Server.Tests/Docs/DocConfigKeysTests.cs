using System.Text.RegularExpressions;
using PiHub.Configuration;
using PiHub.Testing;

namespace PiHub.Server.Tests.Docs;

/// <summary>
/// Every configuration key README.md or docs/*.md quotes (`http.server_port`, `auth.trusted_networks[].cidr`,
/// `input_boolean.&lt;id&gt;`) is one the loader reads: set on top of a valid configuration, it may be refused
/// for its value, never as an unknown setting or section.
/// </summary>
public sealed partial class DocConfigKeysTests
{
    /// <summary>A valid configuration with one entry in every list, so keys inside list items have a home.</summary>
    private static readonly Dictionary<string, string?> s_base = new()
    {
        ["auth:trusted_networks:0:cidr"] = "192.168.1.0/24",
        ["auth:trusted_networks:0:users:0"] = "alice",
        ["gpio:switches:0:name"] = "pump",
        ["gpio:switches:0:pin"] = "17",
        ["gpio:binary_sensors:0:name"] = "door",
        ["gpio:binary_sensors:0:pin"] = "27",
        ["floors:0:id"] = "ground",
        ["floors:0:name"] = "Ground",
        ["areas:0:id"] = "kitchen",
        ["areas:0:name"] = "Kitchen",
        ["labels:0:id"] = "red",
        ["labels:0:name"] = "Red",
        ["input_boolean:sample:name"] = "Sample",
    };

    public static IEnumerable<TestCaseData> Keys() =>
        DocPages.CodeSpans()
            .Where(s => Key().IsMatch(s.Span) && !FileName().IsMatch(s.Span))
            .DistinctBy(s => s.Span)
            .Select(s => new TestCaseData(s.Span).SetArgDisplayNames($"{s.Span} ({s.Page})"));

    [Test]
    public void Keys_Found_IncludeEverySection()
    {
        var sections = Keys().Select(k => ((string)k.Arguments[0]!).Split('.')[0]).Distinct();

        Assert.That(sections, Is.SupersetOf(new[] { "hub", "http", "storage", "admin", "input_boolean", "recorder", "auth", "power", "gpio" }));
    }

    [Test]
    public void Base_Alone_Loads()
    {
        Assert.DoesNotThrow(() => ConfigLoader.Load([], s_base, defaultPath: "/nonexistent/pihub.yaml"));
    }

    [Test]
    public void UnknownKey_SetOnTheBase_IsRefusedAsUnknown()
    {
        // The check below can fail: a key the loader does not know is refused by name.
        Assert.That(Refusal("http:sever_port"), Does.Contain("Unknown setting"));
    }

    [TestCaseSource(nameof(Keys))]
    public void Key_QuotedInTheDocs_IsReadByTheLoader(string key)
    {
        var path = key.Replace("[]", ".0", StringComparison.Ordinal).Replace("<id>", "sample", StringComparison.Ordinal).Replace('.', ':');

        Assert.That(Refusal(path), Does.Not.Contain("Unknown setting").And.Not.Contain("Unknown section"));
    }

    /// <summary>The loader's message for the base plus <paramref name="path"/> set to a sample value; empty when it loads.</summary>
    private static string Refusal(string path)
    {
        var settings = new Dictionary<string, string?>(s_base) { [path] = "x" };
        try
        {
            ConfigLoader.Load([], settings, defaultPath: "/nonexistent/pihub.yaml");
            return "";
        }
        catch (ConfigException ex)
        {
            return ex.Message;
        }
    }

    [GeneratedRegex(@"^(hub|http|storage|admin|input_boolean|floors|areas|labels|recorder|auth|logging|power|gpio)(\.(<id>|[a-z0-9_]+(\[\])?))+$")]
    private static partial Regex Key();

    /// <summary>File names (hub.db) and host names (hub.example.com) look like keys but are none.</summary>
    [GeneratedRegex(@"\.(db|log|yaml|txt|md|json|com|local|lan|home|internal|arpa)$")]
    private static partial Regex FileName();
}
