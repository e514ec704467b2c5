using Classcloud.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Workspaces;

/// <summary>
/// Why a workspace is in its state, stored as a code with arguments (<see cref="Workspace.Reason"/>) and worded in
/// the reader's language only when shown (<see cref="Describe"/>), so a Korean reader never sees English stored by
/// a background job. Arguments are engine facts (an exit code, the engine's own message), never sentences of ours.
/// </summary>
public static class WorkspaceReason
{
    /// <summary>The container died while meant to run; argument: <c>gone</c>, <c>oom</c>, <c>exit</c> + code, or <c>stopped</c>.</summary>
    public const string Restarting = "restarting";

    /// <summary>The reconciler gave up after repeated crashes; argument: the engine's last error.</summary>
    public const string CrashLoop = "crash-loop";

    /// <summary>A job failed; arguments: the action (start, stop, …) and the engine's message.</summary>
    public const string Failed = "failed";

    public const string SaveInterrupted = "save-interrupted";

    public const string Deleting = "deleting";

    /// <summary>Its container was stopped outside the workspace's own actions (the administrators' container console).</summary>
    public const string StoppedOutside = "stopped-outside";

    /// <summary>Stopped because its home volume was over the disk limit; arguments: the measured bytes and the limit.</summary>
    public const string DiskFull = "disk-full";

    const char Separator = '\u001f';

    /// <summary>
    /// The reason a workspace keeps through its next state change, else null: a disk-full stop is still worth saying
    /// once the workspace is stopped (the owner asks "why did it stop?"); every other reason belongs to its moment.
    /// </summary>
    public static string? KeptThrough(string? stored, WorkspaceState next) =>
        Code(stored) == DiskFull && next is WorkspaceState.Stopping or WorkspaceState.Stopped ? stored : null;

    /// <summary>The stored form of a code and its arguments, cut to the column's length.</summary>
    public static string Of(string code, params string[] args)
    {
        var text = args.Length == 0 ? code : code + Separator + string.Join(Separator, args.Select(a => a.Replace(Separator, ' ')));
        return text.Length <= WorkspaceLimits.Reason ? text : text[..WorkspaceLimits.Reason];
    }

    /// <summary>The code of a stored reason (its first part).</summary>
    public static string? Code(string? stored) => stored?.Split(Separator)[0];

    /// <summary>The arguments of a stored reason (everything after its code).</summary>
    public static string[] Args(string? stored) => stored?.Split(Separator)[1..] ?? [];

    /// <summary>The stored reason in the reader's language; null for none.</summary>
    public static string? Describe(string? stored, IStringLocalizer<SharedResource> t)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }
        var parts = stored.Split(Separator);
        string Arg(int i) => parts.Length > i ? parts[i] : "";
        return parts[0] switch
        {
            Restarting => Arg(1) switch
            {
                "gone" => t["The container is gone from the engine; it is being restarted."],
                "oom" => t["The container ran out of memory; it is being restarted."],
                "exit" => t["The container stopped with exit code {0}; it is being restarted.", Arg(2)],
                _ => t["The container stopped; it is being restarted."],
            },
            CrashLoop => t["The container keeps crashing; start it again to retry. {0}", Arg(1)].Value.Trim(),
            Failed => t["Could not {0}: {1}", t[Capitalized(Arg(1))].Value, Arg(2)],
            SaveInterrupted => t["Saving was interrupted by a restart; save again."],
            Deleting => t["Being deleted."],
            StoppedOutside => t["Stopped from the container console."],
            DiskFull => t["Stopped: its home folder held {0}, over the limit of {1}. Start it and delete files to go on.", Size(Arg(1)), Size(Arg(2))],
            _ => stored, // written before reasons had codes
        };
    }

    static string Size(string bytes) =>
        long.TryParse(bytes, System.Globalization.CultureInfo.InvariantCulture, out var b) ? Workloads.Pages.WorkloadFormat.Bytes(b) : bytes;

    // The button words ("Start", "Save") are the localized names of the actions.
    static string Capitalized(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
