using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Classcloud.Platform;
using Classcloud.Web.Gateway;
using Classcloud.Web.Tests.Infrastructure;
using Classcloud.Web.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Classcloud.Web.Tests.Gateway;

/// <summary>Kept terminal sessions: taken over with a redraw, dropped output while nobody holds them, and every way one ends.</summary>
public sealed class TerminalParkingTests
{
    static readonly WorkloadId Workload = new("ws-1");
    readonly FakeTimeProvider clock = new();

    TerminalParking Parking(TimeSpan? keepFor = null, int most = 10) => new(
        Options.Create(new WorkspacesOptions { KeepTerminalFor = keepFor ?? TimeSpan.FromHours(1), TerminalSessions = most }),
        clock, NullLogger<TerminalParking>.Instance);

    // The hang-up stands for the exec that ends the tmux client in the workspace.
    static TerminalSession Kept(ScriptedSession engine) => new(Workload, engine, keepable: true, engine.HangUpAsync);

    static async Task<string> ReadAsync(TerminalSession session)
    {
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await session.ReadAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read.Count);
    }

    [Fact]
    public async Task A_kept_session_drops_output_while_away_and_is_redrawn_when_taken_over()
    {
        var engine = new ScriptedSession();
        var kept = Kept(engine);
        await kept.ResizeAsync(100, 30, CancellationToken.None);
        engine.Say("prompt$ ");
        Assert.Equal("prompt$ ", await ReadAsync(kept));

        await using var parking = Parking();
        Assert.True(await parking.KeepAsync(7, kept));
        engine.Say("while nobody watched");
        await engine.ReadAll(); // the pump has taken it (and dropped it)

        var taken = await parking.TakeAsync(7, Workload, CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Same(kept, taken);
        Assert.Equal(0, parking.Count);
        // One row down and back: the kernel signals tmux only on a real size change, and tmux then sends the whole screen.
        Assert.Equal([(100, 30), (100, 29), (100, 30)], engine.Sizes);
        engine.Say("the redrawn screen");
        Assert.Equal("the redrawn screen", await ReadAsync(taken));
        Assert.False(engine.Disposed.IsCompleted);
    }

    [Fact]
    public async Task A_session_is_not_handed_to_another_container_nor_after_its_time()
    {
        await using var parking = Parking(keepFor: TimeSpan.FromMinutes(10));
        var other = new ScriptedSession();
        Assert.True(await parking.KeepAsync(1, Kept(other)));
        Assert.Null(await parking.TakeAsync(1, new WorkloadId("ws-1-restored"), CancellationToken.None));
        await other.HungUp;

        var old = new ScriptedSession();
        Assert.True(await parking.KeepAsync(2, Kept(old)));
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(await parking.TakeAsync(2, Workload, CancellationToken.None));
        await old.HungUp;
    }

    [Fact]
    public async Task The_oldest_goes_beyond_the_limit_and_an_ended_one_leaves_at_once()
    {
        await using var parking = Parking(most: 2);
        var sessions = Enumerable.Range(0, 3).Select(_ => new ScriptedSession()).ToArray();
        for (var i = 0; i < sessions.Length; i++)
        {
            Assert.True(await parking.KeepAsync(i, Kept(sessions[i])));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        await sessions[0].HungUp; // its tmux client is ended in the workspace
        Assert.Equal(2, parking.Count);

        sessions[1].End(); // the workspace stopped: the exec's output closes
        await sessions[1].Disposed;
        Assert.Equal(1, parking.Count);
        Assert.NotNull(await parking.TakeAsync(2, Workload, CancellationToken.None));
    }

    [Fact]
    public async Task Closing_ends_the_tmux_client_unless_the_exec_has_already_ended()
    {
        var open = new ScriptedSession();
        await Kept(open).DisposeAsync();
        await open.HungUp;

        var ended = new ScriptedSession();
        var session = Kept(ended);
        ended.End();
        await session.Ended;
        await session.DisposeAsync();
        Assert.False(ended.HungUp.IsCompleted);
    }

    [Fact]
    public async Task Nothing_is_kept_when_keeping_is_off()
    {
        await using var parking = Parking(keepFor: TimeSpan.Zero);
        await using var kept = Kept(new ScriptedSession());
        Assert.False(await parking.KeepAsync(1, kept));
        Assert.Equal(0, parking.Count);
    }

    /// <summary>An engine exec whose output the test writes; records sizes and its disposal.</summary>
    sealed class ScriptedSession : IStreamSession
    {
        readonly Channel<byte[]> output = Channel.CreateUnbounded<byte[]>();
        readonly TaskCompletionSource disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly ConcurrentQueue<(int, int)> sizes = new();
        readonly Lock gate = new();
        TaskCompletionSource handled = Done();
        int said;
        int taken;

        public Task Disposed => disposed.Task;

        readonly TaskCompletionSource hungUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task HungUp => hungUp.Task;

        public Task HangUpAsync()
        {
            hungUp.SetResult(); // a second hang-up would throw
            return Task.CompletedTask;
        }

        public (int, int)[] Sizes => [.. sizes];

        public bool Tty => true;

        static TaskCompletionSource Done()
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.SetResult();
            return done;
        }

        public void Say(string text)
        {
            lock (gate)
            {
                said++;
                handled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            output.Writer.TryWrite(Encoding.UTF8.GetBytes(text));
        }

        public void End() => output.Writer.TryComplete();

        /// <summary>Completes when the reader asks for more after taking everything said: it has handled all of it.</summary>
        public Task ReadAll()
        {
            lock (gate)
            {
                return handled.Task;
            }
        }

        public async ValueTask<StreamRead> ReadAsync(Memory<byte> buffer, CancellationToken ct)
        {
            lock (gate)
            {
                if (taken == said)
                {
                    handled.TrySetResult();
                }
            }
            if (!await output.Reader.WaitToReadAsync(ct) || !output.Reader.TryRead(out var chunk))
            {
                return new StreamRead(0, OutputStream.Stdout);
            }
            lock (gate)
            {
                taken++;
            }
            chunk.CopyTo(buffer);
            return new StreamRead(chunk.Length, OutputStream.Stdout);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct) => ValueTask.CompletedTask;

        public Task CloseInputAsync(CancellationToken ct) => Task.CompletedTask;

        public Task ResizeAsync(int columns, int rows, CancellationToken ct)
        {
            sizes.Enqueue((columns, rows));
            return Task.CompletedTask;
        }

        public Task<int?> GetExitCodeAsync(CancellationToken ct) => Task.FromResult<int?>(null);

        public ValueTask DisposeAsync()
        {
            output.Writer.TryComplete();
            disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
