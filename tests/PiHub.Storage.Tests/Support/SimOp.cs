namespace PiHub.Storage.Tests.Support;

/// <summary>One recorded operation: a write (offset, bytes), a truncate (new length in Offset) or a flush.</summary>
internal sealed record SimOp(string File, SimOpKind Kind, long Offset, byte[]? Data, int Seq = 0);
