namespace Classcloud.Platform;

/// <summary>A process to run inside a running instance.</summary>
public sealed record ExecRequest
{
    /// <summary>Program and arguments.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Allocate a terminal: output is one raw stream (stderr merged), and the session can be resized.</summary>
    public bool Tty { get; init; }

    /// <summary>Extra environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Numeric user; null runs as the workload's user. uid 0 is refused.</summary>
    public string? User { get; init; }

    /// <summary>Working directory; null uses the workload's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Which replica to run in.</summary>
    public int Replica { get; init; }

    /// <summary>
    /// For <see cref="IContainerPlatform.ExecAsync"/>: attach no stdin (the process reads end of file at once), for a
    /// session that only streams a command's output. Without it the caller must close stdin, which a Kubernetes API
    /// server older than 1.30 (exec protocol v4) cannot do.
    /// </summary>
    public bool NoInput { get; init; }

    /// <summary>For <see cref="IContainerPlatform.RunAsync"/>: bytes written to stdin before it is closed; null attaches no stdin.</summary>
    public ReadOnlyMemory<byte>? Input { get; init; }

    /// <summary>For <see cref="IContainerPlatform.RunAsync"/>: output kept per stream; the rest is dropped and the result marked truncated.</summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;
}

/// <summary>What a finished non-interactive process produced.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Standard output (UTF-8).</param>
/// <param name="Stderr">Standard error (UTF-8; empty with a TTY, where it is merged into stdout).</param>
/// <param name="Truncated">Output went past <see cref="ExecRequest.MaxOutputBytes"/>.</param>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr, bool Truncated);

/// <summary>Which output stream bytes came from.</summary>
public enum OutputStream
{
    /// <summary>Standard output (everything, with a TTY).</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}

/// <summary>The result of one read from a session.</summary>
/// <param name="Count">Bytes placed in the buffer; 0 means the output has ended.</param>
/// <param name="Stream">Which stream they came from.</param>
public readonly record struct StreamRead(int Count, OutputStream Stream);

/// <summary>
/// A live, bidirectional connection to a process (exec) or to a workload's main process (attach).
/// Reads and writes may run concurrently; one reader and one writer at a time.
/// </summary>
public interface IStreamSession : IAsyncDisposable
{
    /// <summary>Whether the process has a terminal (output is then one raw stream).</summary>
    bool Tty { get; }

    /// <summary>Reads output into <paramref name="buffer"/>; a count of 0 means the process closed its output.</summary>
    ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct);

    /// <summary>Writes to the process's stdin (keystrokes, with a TTY).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Closes stdin so the process reads end-of-file; output can still be read.</summary>
    Task CloseInputAsync(CancellationToken ct);

    /// <summary>Changes the terminal size (only with a TTY).</summary>
    Task ResizeAsync(int columns, int rows, CancellationToken ct);

    /// <summary>The exit code once the process has ended, otherwise null.</summary>
    Task<int?> GetExitCodeAsync(CancellationToken ct);
}
