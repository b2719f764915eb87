namespace PiHub.Server.Auth;

/// <summary>Why a request body could not be read: the HTTP status and a sentence that says how to fix it.</summary>
public sealed record BodyError(int StatusCode, string Message);
