using System.Collections;
using PiHub.Core.Auth.Model;

namespace PiHub.Storage.Tests.Support;

/// <summary>Compares records property by property (records compare lists by reference).</summary>
internal static class RecordAssert
{
    public static void Same(AuthRecord? actual, AuthRecord expected)
    {
        Assert.That(actual, Is.Not.Null, $"{expected.Kind} {expected.Id} is missing");
        Assert.That(actual!.GetType(), Is.EqualTo(expected.GetType()));
        foreach (var p in expected.GetType().GetProperties())
        {
            var a = p.GetValue(actual);
            var e = p.GetValue(expected);
            if (e is IEnumerable list and not string)
            {
                Assert.That((IEnumerable)a!, Is.EqualTo(list), $"{expected.Kind}.{p.Name}");
            }
            else if (e is DateTimeOffset time)
            {
                Assert.That(((DateTimeOffset)a!).UtcTicks, Is.EqualTo(time.UtcTicks), $"{expected.Kind}.{p.Name}");
                Assert.That(((DateTimeOffset)a!).Offset, Is.EqualTo(time.Offset), $"{expected.Kind}.{p.Name} offset");
            }
            else
            {
                Assert.That(a, Is.EqualTo(e), $"{expected.Kind}.{p.Name}");
            }
        }
    }
}
