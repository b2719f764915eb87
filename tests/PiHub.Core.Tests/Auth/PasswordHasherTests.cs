using System.Diagnostics;
using PiHub.Core.Auth;

namespace PiHub.Core.Tests.Auth;

public class PasswordHasherTests
{
    [Test]
    public void Hash_DefaultHasher_WritesSelfDescribingHashWith600kIterations()
    {
        var hasher = new PasswordHasher();

        var hash = hasher.Hash("correct horse battery");

        var parts = hash.Split('$');
        Assert.That(parts, Has.Length.EqualTo(4));
        Assert.That(parts[0], Is.EqualTo("pbkdf2-sha256"));
        Assert.That(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(600_000));
        Assert.That(Convert.FromBase64String(parts[2]), Has.Length.EqualTo(16));
        Assert.That(Convert.FromBase64String(parts[3]), Has.Length.EqualTo(32));
    }

    [Test]
    public void Verify_RightAndWrongPassword_OnlyRightMatches()
    {
        var hasher = new PasswordHasher(1_000);
        var hash = hasher.Hash("correct horse battery");

        Assert.That(hasher.Verify("correct horse battery", hash), Is.True);
        Assert.That(hasher.Verify("correct horse batterY", hash), Is.False);
        Assert.That(hasher.Verify("", hash), Is.False);
    }

    [Test]
    public void Hash_SamePasswordTwice_UsesDifferentSalts()
    {
        var hasher = new PasswordHasher(1_000);

        var first = hasher.Hash("same password");
        var second = hasher.Hash("same password");

        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void Verify_HashWrittenWithOtherCost_ReadsIterationsFromHash()
    {
        var cheap = new PasswordHasher(1_000).Hash("correct horse battery");

        Assert.That(new PasswordHasher(2_000).Verify("correct horse battery", cheap), Is.True);
    }

    [Test]
    public void NeedsRehash_LowerCostOrMalformed_ReturnsTrue()
    {
        var hasher = new PasswordHasher(2_000);

        Assert.That(hasher.NeedsRehash(new PasswordHasher(1_000).Hash("x")), Is.True);
        Assert.That(hasher.NeedsRehash(hasher.Hash("x")), Is.False);
        Assert.That(hasher.NeedsRehash("md5$abc"), Is.True);
    }

    [TestCase("")]
    [TestCase("plain")]
    [TestCase("pbkdf2-sha256$abc$AAAA$AAAA")]
    [TestCase("pbkdf2-sha256$1000$not base64!$AAAA")]
    [TestCase("pbkdf2-sha256$999999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("sha1$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Verify_MalformedHash_ReturnsFalse(string stored)
    {
        Assert.That(new PasswordHasher(1_000).Verify("whatever password", stored), Is.False);
    }

    [Test]
    [NonParallelizable]
    public void VerifyDummy_UnknownUser_RunsAsManyRoundsAsARealVerify()
    {
        // Work, not wall time: timing on a shared machine is noise; skipped work is what leaks.
        var hasher = new PasswordHasher(100_000);
        var hash = hasher.Hash("correct horse battery");

        var before = PasswordHasher.RoundsRun;
        hasher.Verify("wrong password!", hash);
        var real = PasswordHasher.RoundsRun - before;
        before = PasswordHasher.RoundsRun;
        hasher.VerifyDummy("wrong password!");
        var dummy = PasswordHasher.RoundsRun - before;

        Assert.That(real, Is.EqualTo(100_000));
        Assert.That(dummy, Is.EqualTo(real));
    }
}
