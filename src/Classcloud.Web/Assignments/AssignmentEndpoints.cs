using System.Security.Claims;
using Classcloud.Web.Assignments.Grading;
using Classcloud.Web.Assignments.Similarity;
using Classcloud.Web.Courses;
using Classcloud.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Assignments;

/// <summary>The assignments API (issue 13 contract). Every route needs a signed-in user; the course relation decides the rest.</summary>
public static class AssignmentEndpoints
{
    public static void MapAssignmentApi(this WebApplication app)
    {
        var courses = app.MapGroup("/api/v1/courses/{id:long}").RequireAuthorization().WithTags("Assignments");
        courses.MapPost("/assignments", async (long id, AssignmentRequest r, ClaimsPrincipal u, AssignmentService s, CancellationToken ct) =>
            Created(await s.CreateAsync(Caller.From(u), id, r, ct), a => $"/api/v1/assignments/{a.Id}"));
        courses.MapGet("/assignments", async (long id, ClaimsPrincipal u, AssignmentService s, CancellationToken ct) => Reply(await s.ListAsync(Caller.From(u), id, ct)));
        courses.MapGet("/gradebook.csv", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, ClaimsPrincipal u, Gradebook g, CancellationToken ct) =>
        {
            var outcome = await g.CsvAsync(Caller.From(u), id, ct);
            return outcome.Succeeded ? TypedResults.File(outcome.Value!, "text/csv; charset=utf-8", $"course-{id}-gradebook.csv") : outcome.Problem!.ToResult();
        });

        var api = app.MapGroup("/api/v1/assignments/{id:long}").RequireAuthorization().WithTags("Assignments");
        api.MapGet("/", async (long id, ClaimsPrincipal u, AssignmentService s, CancellationToken ct) => Reply(await s.GetAsync(Caller.From(u), id, ct)));
        api.MapPut("/", async (long id, AssignmentRequest r, ClaimsPrincipal u, AssignmentService s, CancellationToken ct) => Reply(await s.UpdateAsync(Caller.From(u), id, r, ct)));
        api.MapDelete("/", async Task<Results<NoContent, ProblemHttpResult>> (long id, ClaimsPrincipal u, AssignmentService s, CancellationToken ct) =>
            await s.DeleteAsync(Caller.From(u), id, ct) is { Succeeded: false } o ? o.Problem!.ToResult() : TypedResults.NoContent());
        api.MapPost("/submissions", async (long id, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) =>
            Created(await s.SubmitAsync(Caller.From(u), id, ct), x => $"/api/v1/submissions/{x.Id}"));
        api.MapGet("/submissions", async (long id, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.ListAsync(Caller.From(u), id, ct)));
        api.MapPost("/collect", async (long id, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.CollectAllAsync(Caller.From(u), id, ct)));
        api.MapPost("/grade", async (long id, bool? all, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.QueueAllAsync(Caller.From(u), id, all == true, ct)));
        api.MapGet("/grade", async (long id, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.ProgressAsync(Caller.From(u), id, ct)));
        api.MapPost("/release", async (long id, bool? released, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) =>
            Reply(await s.ReleaseAsync(Caller.From(u), id, released != false, ct)));
        api.MapGet("/similarity", async (long id, int? limit, ClaimsPrincipal u, SimilarityService s, CancellationToken ct) => Reply(await s.ReportAsync(Caller.From(u), id, limit, ct)));
        api.MapPut("/extensions/{userId:long}", async (long id, long userId, ExtensionRequest r, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) =>
            Reply(await s.ExtendAsync(Caller.From(u), id, userId, r, ct)));

        var submissions = app.MapGroup("/api/v1/submissions/{id:long}").RequireAuthorization().WithTags("Assignments");
        submissions.MapGet("/", async (long id, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.GetAsync(Caller.From(u), id, ct)));
        submissions.MapGet("/files/{*path}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, string path, ClaimsPrincipal u, SubmissionService s, HttpResponse response, CancellationToken ct) =>
        {
            var outcome = await s.FileAsync(Caller.From(u), id, path, ct);
            if (!outcome.Succeeded)
            {
                return outcome.Problem!.ToResult();
            }
            // Student files are shown as plain text or downloaded, never rendered as a page of this site.
            response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
            response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(outcome.Value.Content, "text/plain; charset=utf-8");
        });
        submissions.MapPost("/comments", async (long id, LineCommentRequest r, ClaimsPrincipal u, GradingService g, CancellationToken ct) =>
            Created(await g.CommentAsync(Caller.From(u), id, r, ct), c => $"/api/v1/submissions/{id}/comments/{c.Id}"));
        submissions.MapDelete("/comments/{commentId:long}", async Task<Results<NoContent, ProblemHttpResult>> (long id, long commentId, ClaimsPrincipal u, GradingService g, CancellationToken ct) =>
            await g.DeleteCommentAsync(Caller.From(u), id, commentId, ct) is { Succeeded: false } o ? o.Problem!.ToResult() : TypedResults.NoContent());
        submissions.MapPut("/grade", async (long id, GradeRequest r, ClaimsPrincipal u, SubmissionService s, CancellationToken ct) => Reply(await s.GradeAsync(Caller.From(u), id, r, ct)));
    }

    static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) => outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();

    static Results<Created<T>, ProblemHttpResult> Created<T>(Outcome<T> outcome, Func<T, string> location) =>
        outcome.Succeeded ? TypedResults.Created(location(outcome.Value!), outcome.Value!) : outcome.Problem!.ToResult();
}
