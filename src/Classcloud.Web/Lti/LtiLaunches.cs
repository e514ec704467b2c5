using Classcloud.Web.Accounts;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Lti;

/// <summary>A finished launch: the checked claims, the signed-in person and where they land.</summary>
public sealed record LtiEntry(LtiLaunch Launch, User User, LtiLanding Landing);

/// <summary>
/// The second leg: the platform's form post of id_token and state. The state is taken once and must match this
/// browser's cookie; the token is checked (LtiTokenValidator); the person is signed in, placed in the course and
/// sent on. Every refusal is a <see cref="Problem"/> the launch page words in the reader's language.
/// </summary>
public sealed class LtiLaunches(LtiLogin logins, LtiTokenValidator validator, LtiAccounts accounts, LtiCourses courses, TimeProvider time)
{
    public async Task<Outcome<LtiEntry>> LaunchAsync(string? idToken, string? state, string? stateCookie, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(idToken) || string.IsNullOrEmpty(state))
        {
            return Problem.BadRequest("The learning platform sent no launch token. Open the link in your course again.");
        }
        var started = await logins.ConsumeAsync(state, ct);
        if (started is not { } s)
        {
            return Problem.Forbidden("This launch has expired or was already used. Open the link in your course again.");
        }
        if (!string.Equals(stateCookie, state, StringComparison.Ordinal))
        {
            return Problem.Forbidden("This browser did not start this launch (its launch cookie is missing). If the course shows Classcloud inside its page, set the link to open in a new window and try again.");
        }
        var checkedLaunch = await validator.ValidateAsync(s.Platform, idToken, s.Nonce, time.GetUtcNow(), ct);
        if (!checkedLaunch.Succeeded)
        {
            return checkedLaunch.Problem!;
        }
        var launch = checkedLaunch.Value!;
        var user = await accounts.SignInAsync(launch, ct);
        if (!user.Succeeded)
        {
            return user.Problem!;
        }
        var landing = launch.MessageType == LtiLaunch.ResourceLink
            ? await courses.EnterAsync(launch, user.Value!, ct)
            : new LtiLanding("/");
        return new LtiEntry(launch, user.Value!, landing);
    }
}
