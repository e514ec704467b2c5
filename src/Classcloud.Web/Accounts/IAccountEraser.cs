namespace Classcloud.Web.Accounts;

/// <summary>
/// A feature that holds a user's things outside the rows the user's deletion cascades to (containers, volumes,
/// registry images, files) removes them here, before the account row goes (issue 16: erasure removes it
/// everywhere). Each step is idempotent: a failure leaves the account in place, and deleting again resumes.
/// </summary>
public interface IAccountEraser
{
    /// <summary>Lower runs first: workspaces (10) before projects (20) before records such as mail and audit (90).</summary>
    int Order { get; }

    Task EraseAsync(User user, CancellationToken ct);
}
