namespace Classcloud.Web.Privacy;

/// <summary>Personal data settings (<c>Classcloud:Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Classcloud:Privacy";

    /// <summary>Home folders in one export, all workspaces together; a home that would pass it is left out and named in the README.</summary>
    public long MaxHomeExportBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
