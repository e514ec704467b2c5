namespace Classcloud.Web.Workspaces;

/// <summary>The budget that keeps a waiting start from running (<see cref="WorkspaceAdmission.HoldAsync"/>).</summary>
public enum QueueHold
{
    /// <summary>The most workspaces running at once (Capacity:MaxRunning) are running.</summary>
    Count,

    /// <summary>The CPU budget is taken.</summary>
    Cpu,

    /// <summary>The memory budget is taken (suspended workspaces keep theirs).</summary>
    Memory,

    /// <summary>The budget has room, but the background worker's job queue is full.</summary>
    Worker,
}

/// <summary>
/// The pace of recent admissions, for an estimate a waiting person can read: with starts admitted every
/// <c>m</c> minutes lately, the <c>n</c>-th in line waits about <c>n × m</c>. In memory, in the process that
/// admits (the web role); after a restart there is no estimate until two starts were admitted.
/// </summary>
public sealed class AdmissionPace(TimeProvider time)
{
    const int Kept = 10;
    static readonly TimeSpan Window = TimeSpan.FromHours(1);
    readonly Queue<DateTimeOffset> admitted = new();
    readonly Lock sync = new();

    public void Admitted()
    {
        lock (sync)
        {
            admitted.Enqueue(time.GetUtcNow());
            while (admitted.Count > Kept)
            {
                admitted.Dequeue();
            }
        }
    }

    /// <summary>About how long the <paramref name="position"/>-th in line waits; null: too few admissions lately to say.</summary>
    public TimeSpan? Estimate(int position)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            var recent = admitted.Where(t => now - t < Window).ToList();
            if (recent.Count < 2)
            {
                return null;
            }
            // The gaps between admissions, and the time since the last one (a queue stuck for long slows the pace too).
            var per = (now - recent[0]) / recent.Count;
            return per * position;
        }
    }
}

/// <summary>Words and sentences of a wait, shared by the workspace pages and the administrator's overview.</summary>
public static class QueueWords
{
    public static string Of(QueueHold? hold) => hold switch
    {
        QueueHold.Count => "count",
        QueueHold.Cpu => "cpu",
        QueueHold.Memory => "memory",
        QueueHold.Worker => "worker",
        _ => "next",
    };

    /// <summary>The resource key of a reason word (localized on the page).</summary>
    public static string Sentence(string reason) => reason switch
    {
        "count" => "The most workspaces allowed to run at once are running.",
        "cpu" => "The CPU set aside for workspaces is in use.",
        "memory" => "The memory set aside for workspaces is in use.",
        "worker" => "The server is busy with other workspace actions.",
        _ => "It starts in a moment.",
    };
}
