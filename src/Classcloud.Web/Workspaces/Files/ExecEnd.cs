using System.Text;
using Classcloud.Platform;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>How the file routes finish a process in the workspace: what it said (its exit code: <see cref="StreamSessionExtensions.ExitCodeAsync"/>).</summary>
internal static class ExecEnd
{
    /// <summary>Everything the process says (tar's or cat's errors), up to 4 KiB, until it closes its output.</summary>
    public static async Task<string> OutputAsync(IStreamSession session, CancellationToken ct)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[8192];
        while (await session.ReadAsync(buffer, ct) is { Count: > 0 } read)
        {
            kept.Write(buffer, 0, Math.Min(read.Count, (int)Math.Max(0, 4096 - kept.Length)));
        }
        return Encoding.UTF8.GetString(kept.ToArray()).Trim();
    }
}
