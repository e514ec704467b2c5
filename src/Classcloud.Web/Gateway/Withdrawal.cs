namespace Classcloud.Web.Gateway;

/// <summary>
/// A task that completes when a connection's access is withdrawn (<see cref="WorkspacePresence.Member.Revoked"/>),
/// for a bridge to wait on beside its two directions; dispose to stop listening.
/// </summary>
public sealed class Withdrawal : IDisposable
{
    /// <summary>The WebSocket close reason the browser shows (the page then offers to connect again, under the new rules).</summary>
    public const string CloseReason = "access changed";

    readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenRegistration registration;

    public Withdrawal(CancellationToken revoked) => registration = revoked.Register(() => done.TrySetResult());

    public Task Task => done.Task;

    public void Dispose() => registration.Dispose();
}
