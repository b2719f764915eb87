using System.Security.Cryptography;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage.Auth;

namespace PiHub.Storage.Tests.Support;

/// <summary>
/// A workload of auth commits run once on a <see cref="SimulatedMedium"/>, remembering after
/// which operation each commit was acknowledged; then any number of power cuts are replayed
/// from the record and the reopened store is checked against what was acknowledged.
/// </summary>
internal sealed class RecordedRun
{
    private readonly List<(int AckOp, AuthData Data)> _acks = [];

    private RecordedRun(SimulatedMedium medium) => Medium = medium;

    public SimulatedMedium Medium { get; }

    /// <summary>First operation of the workload (after the store was opened).</summary>
    public int StartOp { get; private set; }

    public int EndOp => Medium.OpCount;

    public static RecordedRun Record(bool durable, IReadOnlyList<Func<AuthData, AuthChangeSet>> workload, int checkpointEvery,
        bool syncBeforeConfirm = true)
    {
        var run = new RecordedRun(new SimulatedMedium());
        var baseline = Baseline();
        var db = AuthDatabase.Open(run.Medium.Open("data", baseline), run.Medium.Open("log"), durable, syncBeforeConfirm: syncBeforeConfirm);
        var current = db.Load();
        run._acks.Add((0, current));
        run.StartOp = run.Medium.OpCount;
        for (var i = 0; i < workload.Count; i++)
        {
            var changes = workload[i](current);
            var after = current.Apply(changes);
            db.Commit(current, after, changes, AuthSamples.T0.AddSeconds(i));
            current = after;
            run._acks.Add((run.Medium.OpCount, current));
            if ((i + 1) % checkpointEvery == 0) db.Checkpoint();
        }

        db.Dispose(); // LiteDB checkpoints on close: cuts during that count too.
        return run;
    }

    /// <summary>The typical workload: owner, users, a big token batch, revocations, bans.</summary>
    public static IReadOnlyList<Func<AuthData, AuthChangeSet>> TypicalWorkload(int commits)
    {
        var list = new List<Func<AuthData, AuthChangeSet>> { _ => AuthSamples.CreateOwner() };
        for (var i = 1; list.Count < commits; i++)
        {
            var n = i;
            list.Add((n % 5) switch
            {
                0 => _ => new AuthChangeSet($"batch {n}").PutAll(Enumerable.Range(0, 60).Select(k => AuthSamples.Token(n * 1000 + k))),
                1 => d => d.RefreshTokens.Count > 0
                    ? new AuthChangeSet($"revoke {n}").Delete(AuthRecordKind.RefreshToken, d.RefreshTokens.Keys.Order().First())
                    : new AuthChangeSet($"ban {n}").Put(new IpBan { Id = $"10.0.{n}.1", Reason = "x" }),
                2 => _ => new AuthChangeSet($"ban {n}").Put(new IpBan { Id = $"10.1.{n}.1", Reason = "failed logins", Level = n }),
                _ => _ => AuthSamples.AddUser(n),
            });
        }

        return list;
    }

    /// <summary>Cuts power before operation <paramref name="cut"/>, reopens, and returns a failure sentence or null.</summary>
    public string? Check(int cut, CutModel model, Random random)
    {
        var data = Medium.ImageAfterCut("data", cut, model, random, olderSide: false);
        var log = Medium.ImageAfterCut("log", cut, model, random, olderSide: true);
        AuthData loaded;
        try
        {
            using var db = AuthDatabase.Open(Expandable(data), Expandable(log), durable: false);
            loaded = db.Load();
        }
        catch (Exception ex)
        {
            return $"cut {cut} ({model}): store does not open: {ex.GetType().Name}: {ex.Message}";
        }

        var acknowledged = _acks.Last(a => a.AckOp <= cut).Data.Generation;
        if (loaded.Generation < acknowledged)
        {
            return $"cut {cut} ({model}): generation {loaded.Generation} but {acknowledged} was acknowledged";
        }

        if (loaded.Generation >= _acks.Count) return $"cut {cut} ({model}): unknown generation {loaded.Generation}";
        var expected = _acks[(int)loaded.Generation].Data;
        return Fingerprint(loaded) == Fingerprint(expected) ? null : $"cut {cut} ({model}): content differs from generation {loaded.Generation}";
    }

    /// <summary>Opens the store as it is after a cut; throws when it does not open or validate.</summary>
    public AuthData Open(int cut, CutModel model, Random random)
    {
        var data = Medium.ImageAfterCut("data", cut, model, random, olderSide: false);
        var log = Medium.ImageAfterCut("log", cut, model, random, olderSide: true);
        using var db = AuthDatabase.Open(Expandable(data), Expandable(log), durable: false);
        return db.Load();
    }

    public static string Fingerprint(AuthData data) => string.Join(",", data.AllRecords()
        .Select(r =>
        {
            AuthDocumentMapper.ToDocument(r, out var sum);
            return Convert.ToHexString(sum);
        })
        .Order(StringComparer.Ordinal));

    private static MemoryStream Expandable(byte[] bytes)
    {
        var ms = new MemoryStream();
        ms.Write(bytes);
        ms.Position = 0;
        return ms;
    }

    private static byte[] Baseline()
    {
        using var dir = new TempDir();
        var path = dir.File("auth.db");
        AuthFileBuilder.Build(path, AuthData.Empty, AuthSamples.T0, "baseline", durable: false);
        return File.ReadAllBytes(path);
    }
}
