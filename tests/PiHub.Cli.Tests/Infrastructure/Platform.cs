// pihub-cli and its admin socket exist on Linux only (Unix sockets, peer credentials, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
