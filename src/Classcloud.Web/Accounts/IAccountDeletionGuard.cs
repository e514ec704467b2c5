namespace Classcloud.Web.Accounts;

/// <summary>
/// A feature that owns things a user must hand over before deleting the account (e.g. courses an
/// educator owns) registers a guard; deletion is refused with the guard's sentence.
/// </summary>
public interface IAccountDeletionGuard
{
    /// <summary>Null when nothing blocks; otherwise a sentence naming what does, in the user's language.</summary>
    Task<string?> BlockingReasonAsync(User user, CancellationToken ct);
}
