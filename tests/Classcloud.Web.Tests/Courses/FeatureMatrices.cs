namespace Classcloud.Web.Tests.Courses;

/// <summary>
/// API routes whose authorization matrix lives with their feature, with more roles than the global
/// matrix has (course owner, co-educator, member, pending applicant, post author, …):
/// CourseAuthorizationMatrixTests and GroupTests. Each of those fails when one of its routes has no
/// row, so the global matrix (Admin/AuthorizationMatrixTests) leaves these prefixes to them.
/// </summary>
public static class FeatureMatrices
{
    public static readonly string[] CoursePrefixes =
        ["/api/v1/courses", "/api/v1/posts", "/api/v1/comments", "/api/v1/attachments", "/api/v1/notifications", "/api/v1/admin/courses"];

    public static readonly string[] GroupPrefixes = ["/api/v1/groups", "/api/v1/admin/groups"];

    /// <summary>Workspaces/WorkspaceAuthorizationMatrixTests (owner, other user, administrator).</summary>
    public static readonly string[] WorkspacePrefixes = ["/api/v1/workspaces", "/api/v1/workspace-keys", "/api/v1/workspace-sizes"];

    /// <summary>
    /// Course environments, the course's workspace list and the class view (under the course prefix): Workspaces/CourseEnvironmentMatrixTests
    /// holds their rows.
    /// </summary>
    public static bool IsEnvironmentRoute(string route) =>
        route.Contains("/environments", StringComparison.Ordinal) || route.EndsWith("/courses/{courseId:long}/workspaces", StringComparison.Ordinal)
        || route.EndsWith("/courses/{courseId:long}/class-view", StringComparison.Ordinal);

    /// <summary>Assignments/AssignmentMatrixTests: the assignment and submission routes, and the course's assignment list and gradebook.</summary>
    public static readonly string[] AssignmentPrefixes = ["/api/v1/assignments", "/api/v1/submissions"];

    /// <remarks>The LTI grade route (<c>/api/v1/lti/assignments/…</c>) is the LTI feature's: its row is in the global matrix.</remarks>
    public static bool IsAssignmentRoute(string route) => !route.StartsWith("/api/v1/lti/", StringComparison.Ordinal)
        && (route.Contains("/assignments", StringComparison.Ordinal) || route.Contains("/submissions/", StringComparison.Ordinal) || route.EndsWith("/gradebook.csv", StringComparison.Ordinal));

    /// <summary>True for "METHOD /pattern" strings of routes a feature matrix covers.</summary>
    public static bool Covers(string route)
    {
        var path = route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return CoursePrefixes.Concat(GroupPrefixes).Concat(WorkspacePrefixes).Concat(AssignmentPrefixes).Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));
    }
}
