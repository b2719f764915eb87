using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PiHub.Server.AdminSocket;

/// <summary>
/// Who is on the other end of a Unix socket, as the kernel says (not as the client claims): <c>SO_PEERCRED</c>
/// (pid, uid, gid) and <c>SO_PEERGROUPS</c> (supplementary groups), both fixed at <c>connect()</c>.
/// </summary>
internal sealed record PeerCredentials(int Pid, uint Uid, uint Gid, IReadOnlyList<uint> Groups)
{
    // The same numbers on x86-64 and arm64 (asm-generic).
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int SoPeerGroups = 59;

    /// <summary>The peer of a connected Unix socket; null when the kernel does not tell (not a Unix socket).</summary>
    public static PeerCredentials? Read(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) < 12) return null;
        }
        catch (SocketException)
        {
            return null;
        }

        var pid = MemoryMarshal.Read<int>(ucred);
        var uid = MemoryMarshal.Read<uint>(ucred[4..]);
        var gid = MemoryMarshal.Read<uint>(ucred[8..]);
        return new PeerCredentials(pid, uid, gid, ReadGroups(socket));
    }

    private static uint[] ReadGroups(Socket socket)
    {
        var buffer = new byte[4 * 1024];
        try
        {
            var length = socket.GetRawSocketOption(SolSocket, SoPeerGroups, buffer);
            return MemoryMarshal.Cast<byte, uint>(buffer.AsSpan(0, length - (length % 4))).ToArray();
        }
        catch (SocketException)
        {
            // Linux before 4.13, or more groups than the buffer holds: the primary group still counts.
            return [];
        }
    }
}
