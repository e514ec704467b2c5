namespace Classcloud.Platform;

/// <summary>Which log lines to read.</summary>
/// <param name="Follow">Keep the stream open and yield new lines as they are written.</param>
/// <param name="Tail">Only the last N lines already written; null: all.</param>
/// <param name="Since">Only lines written at or after this time.</param>
/// <param name="Replica">Which replica.</param>
public sealed record LogOptions(bool Follow = false, int? Tail = null, DateTimeOffset? Since = null, int Replica = 0);

/// <summary>One log line of a workload's main process.</summary>
/// <param name="Stream">stdout or stderr.</param>
/// <param name="Time">When the engine received it.</param>
/// <param name="Text">The line, without its line break.</param>
public sealed record LogEntry(OutputStream Stream, DateTimeOffset Time, string Text);

/// <summary>One resource sample of an instance.</summary>
/// <param name="Time">When the engine took it.</param>
/// <param name="CpuPercent">CPU used since the previous sample, in percent of one core (200 = two cores busy).</param>
/// <param name="MemoryBytes">Memory in use (page cache excluded).</param>
/// <param name="MemoryLimitBytes">Memory limit.</param>
/// <param name="Pids">Processes and threads.</param>
/// <param name="NetworkReceivedBytes">Bytes received since start, all interfaces.</param>
/// <param name="NetworkSentBytes">Bytes sent since start, all interfaces.</param>
public sealed record WorkloadStats(
    DateTimeOffset Time,
    double CpuPercent,
    long MemoryBytes,
    long MemoryLimitBytes,
    int Pids,
    long NetworkReceivedBytes,
    long NetworkSentBytes);

/// <summary>Something that happened to an instance, as seen by <see cref="IContainerPlatform.WatchAsync"/>.</summary>
/// <param name="Time">When the engine saw it.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Workload">The workload (null for <see cref="PlatformEventKind.Reconnected"/>).</param>
/// <param name="Replica">The replica ordinal.</param>
/// <param name="ExitCode">For <see cref="PlatformEventKind.Exited"/>: the exit code.</param>
public sealed record PlatformEvent(DateTimeOffset Time, PlatformEventKind Kind, WorkloadId? Workload, int Replica, int? ExitCode = null);

/// <summary>Kinds of <see cref="PlatformEvent"/>.</summary>
public enum PlatformEventKind
{
    /// <summary>An instance was created.</summary>
    Created,

    /// <summary>An instance's main process started.</summary>
    Started,

    /// <summary>An instance's main process ended (stopped, crashed or killed).</summary>
    Exited,

    /// <summary>An instance went over its memory limit and a process was killed.</summary>
    OomKilled,

    /// <summary>An instance was paused.</summary>
    Paused,

    /// <summary>An instance was resumed.</summary>
    Unpaused,

    /// <summary>The health check passed after failing or starting.</summary>
    Healthy,

    /// <summary>The health check failed its retries.</summary>
    Unhealthy,

    /// <summary>An instance was removed.</summary>
    Removed,

    /// <summary>The watch lost the engine and is back; events may have been missed, so resynchronise.</summary>
    Reconnected,
}
