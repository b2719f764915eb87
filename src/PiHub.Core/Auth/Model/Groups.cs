namespace PiHub.Core.Auth.Model;

/// <summary>Home Assistant's group ids. The owner is a flag on <see cref="User"/>, and is always an admin.</summary>
public static class Groups
{
    public const string Admin = "system-admin";
    public const string Users = "system-users";
    public const string ReadOnly = "system-read-only";

    public static readonly IReadOnlyList<string> All = [Admin, Users, ReadOnly];

    public static bool IsKnown(string id) => All.Contains(id);
}
