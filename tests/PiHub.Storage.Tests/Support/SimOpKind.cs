namespace PiHub.Storage.Tests.Support;

/// <summary>What a recorded operation did to a file.</summary>
internal enum SimOpKind
{
    Write,
    SetLength,
    Flush,
}
