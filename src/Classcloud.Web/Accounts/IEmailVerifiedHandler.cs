namespace Classcloud.Web.Accounts;

/// <summary>
/// Called once a user has proved they own an address (sign-up verification or a confirmed change),
/// so features holding invitations by e-mail can act on them (e.g. a course roster enrols the person).
/// </summary>
public interface IEmailVerifiedHandler
{
    Task EmailVerifiedAsync(User user, CancellationToken ct);
}
