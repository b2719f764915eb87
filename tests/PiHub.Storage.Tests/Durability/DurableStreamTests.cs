using PiHub.Storage.Durability;
using PiHub.Storage.Tests.Support;

namespace PiHub.Storage.Tests.Durability;

public sealed class DurableStreamTests
{
    [Test]
    public void Write_ConfirmPageOnLog_FlushedBeforeAndAfter()
    {
        var medium = new SimulatedMedium();
        using var log = new DurableStream(medium.Open("log"), isLog: true, durable: true);

        log.Write(Page(confirmed: false));
        log.Write(Page(confirmed: true));

        Assert.That(Kinds(medium, "log"), Is.EqualTo(new[] { SimOpKind.Write, SimOpKind.Flush, SimOpKind.Write, SimOpKind.Flush }));
    }

    [Test]
    public void Write_ConfirmPageOnDataFile_NotFlushed()
    {
        var medium = new SimulatedMedium();
        using var data = new DurableStream(medium.Open("data"), isLog: false, durable: true);

        data.Write(Page(confirmed: true));

        Assert.That(Kinds(medium, "data"), Is.EqualTo(new[] { SimOpKind.Write }));
    }

    [Test]
    public void SetLength_DurableLog_FlushedBeforeTheNextWrite()
    {
        var medium = new SimulatedMedium();
        using var log = new DurableStream(medium.Open("log"), isLog: true, durable: true);

        log.SetLength(0);
        var afterCut = Kinds(medium, "log");
        log.Write(Page(confirmed: false));

        Assert.That(afterCut, Is.EqualTo(new[] { SimOpKind.SetLength }));
        Assert.That(Kinds(medium, "log"), Is.EqualTo(new[] { SimOpKind.SetLength, SimOpKind.Flush, SimOpKind.Write }));
    }

    [Test]
    public void SetLength_DurableLog_FlushedWhenClosedWithNothingAfter()
    {
        var medium = new SimulatedMedium();
        var log = new DurableStream(medium.Open("log"), isLog: true, durable: true);

        log.SetLength(0);
        log.Dispose();

        Assert.That(Kinds(medium, "log"), Is.EqualTo(new[] { SimOpKind.SetLength, SimOpKind.Flush }));
    }

    [Test]
    public void SetLength_DurableData_FlushedAtOnce()
    {
        var medium = new SimulatedMedium();
        using var data = new DurableStream(medium.Open("data"), isLog: false, durable: true);

        data.SetLength(8 * DurableStream.PageSize);

        Assert.That(Kinds(medium, "data"), Is.EqualTo(new[] { SimOpKind.SetLength, SimOpKind.Flush }));
    }

    [Test]
    public void Write_NotDurable_NeverFlushes()
    {
        var medium = new SimulatedMedium();
        using var log = new DurableStream(medium.Open("log"), isLog: true, durable: false);

        log.Write(Page(confirmed: true));
        log.SetLength(0);

        Assert.That(Kinds(medium, "log"), Is.EqualTo(new[] { SimOpKind.Write, SimOpKind.SetLength }));
    }

    private static byte[] Page(bool confirmed)
    {
        var page = new byte[DurableStream.PageSize];
        page[18] = confirmed ? (byte)1 : (byte)0;
        return page;
    }

    private static List<SimOpKind> Kinds(SimulatedMedium medium, string file) => medium.Ops.Where(o => o.File == file).Select(o => o.Kind).ToList();
}
