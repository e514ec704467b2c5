using Classcloud.Web.Localization;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Admin;

/// <summary>
/// Audit actions as sentences for the audit page (issue 17: administrators read "Signed in", not <c>signin.success</c>).
/// The code stays what is stored, filtered on and exported; an action without a sentence here shows its code.
/// </summary>
public static class AuditWords
{
    static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        [AuditActions.SignInSuccess] = "Signed in",
        [AuditActions.SignInFailure] = "Sign-in failed",
        [AuditActions.SignOut] = "Signed out",
        [AuditActions.SignUp] = "Signed up",
        [AuditActions.Verify] = "Verified their e-mail address",
        [AuditActions.EmailChange] = "Changed their e-mail address",
        [AuditActions.PasswordReset] = "Reset their password",
        [AuditActions.PasswordChange] = "Changed their password",
        [AuditActions.RoleChange] = "Changed a user's role",
        [AuditActions.Approve] = "Approved an educator",
        [AuditActions.Disable] = "Disabled an account",
        [AuditActions.Enable] = "Enabled an account",
        [AuditActions.Delete] = "Deleted an account",
        [AuditActions.SettingsChange] = "Changed the platform settings",
        [AuditActions.TokenCreate] = "Created an access token",
        [AuditActions.TokenRevoke] = "Revoked an access token",
        [AuditActions.ExternalLink] = "Linked an external sign-in",
        ["course.create"] = "Created a course",
        ["course.update"] = "Changed a course",
        ["course.delete"] = "Deleted a course",
        ["course.member-remove"] = "Removed a course member",
        ["course.coeducator"] = "Changed a course's co-educators",
        ["course.roster-import"] = "Imported a course roster",
        ["course.environment.publish"] = "Published a course environment",
        ["course.environment.update"] = "Changed a course environment",
        ["course.environment.remove"] = "Removed a course environment",
        ["course.environment.workspace"] = "Made a workspace from a course environment",
        ["group.delete"] = "Deleted a group",
        ["workspace.create"] = "Created a workspace",
        ["workspace.update"] = "Changed a workspace",
        ["workspace.start"] = "Started a workspace",
        ["workspace.stop"] = "Stopped a workspace",
        ["workspace.save"] = "Saved a workspace",
        ["workspace.delete"] = "Deleted a workspace",
        ["workspace.connect"] = "Connected to a workspace",
        ["workspace.export"] = "Exported a workspace key",
        ["workspace.key.revoke"] = "Revoked a workspace key",
        ["workspace.load"] = "Loaded a workspace from a key",
        ["workspace.files.upload"] = "Uploaded files into a workspace",
        ["workspace.files.download"] = "Downloaded files from a workspace",
        ["workload.start"] = "Started a workload",
        ["workload.stop"] = "Stopped a workload",
        ["workload.restart"] = "Restarted a workload",
        ["workload.scale"] = "Scaled a workload",
        ["workload.delete"] = "Deleted a workload",
        ["project.create"] = "Created a project",
        ["project.delete"] = "Deleted a project",
        ["project.deploy"] = "Deployed a project",
        ["project.env"] = "Changed a project's variables",
        ["project.rollback"] = "Rolled a project back",
        ["project.deploy.push"] = "Deployed a project from a push",
        ["project.source.git"] = "Set a project's Git source",
        ["project.hook.secret"] = "Made a new webhook secret for a project",
        ["project.domain.add"] = "Added a custom domain to a project",
        ["project.domain.verify"] = "Verified a project's custom domain",
        ["project.domain.remove"] = "Removed a project's custom domain",
        ["lti.platform.add"] = "Registered an LTI platform",
        ["lti.platform.remove"] = "Removed an LTI platform",
        ["lti.context.link"] = "Linked a course to an LMS course",
        ["lti.enrol"] = "Enrolled a student through LTI",
        ["alert.acknowledge"] = "Acknowledged an alert",
        ["image.delete"] = "Deleted an image",
    };

    /// <summary>Every action with a sentence, for the filter list.</summary>
    public static IEnumerable<string> Known => Sentences.Keys;

    /// <summary>The sentence of <paramref name="action"/> in the reader's language; the code itself when none is known.</summary>
    public static string Sentence(string action, IStringLocalizer<SharedResource> t) =>
        Sentences.TryGetValue(action, out var english) ? t[english].Value : action;

    /// <summary>The English sentence, for tests and the resource check.</summary>
    public static string? English(string action) => Sentences.GetValueOrDefault(action);
}
