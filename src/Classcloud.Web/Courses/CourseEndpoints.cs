using System.Security.Claims;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Classcloud.Web.Accounts;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>
/// The course API (issue 6 contract). Every route needs a signed-in user; creating a course needs
/// an approved educator; finer rules (member, educator, owner) live in <see cref="CourseAccess"/>.
/// </summary>
public static class CourseEndpoints
{
    public static void MapCourseApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1/courses").RequireAuthorization().WithTags("Courses");
        api.MapPost("/", CreateAsync).RequireAuthorization(Policies.Educator);
        api.MapGet("/", SearchAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapPut("/{id:long}", UpdateAsync);
        api.MapDelete("/{id:long}", DeleteAsync);
        api.MapPost("/{id:long}/applications", ApplyAsync);
        api.MapGet("/{id:long}/applications", ApplicationsAsync);
        api.MapPost("/{id:long}/applications/{appId:long}/accept", (long id, long appId, ClaimsPrincipal user, EnrolmentService s, CancellationToken ct) => DecideAsync(id, appId, true, user, s, ct));
        api.MapPost("/{id:long}/applications/{appId:long}/reject", (long id, long appId, ClaimsPrincipal user, EnrolmentService s, CancellationToken ct) => DecideAsync(id, appId, false, user, s, ct));
        api.MapGet("/{id:long}/members", MembersAsync);
        api.MapGet("/{id:long}/members.csv", ExportMembersAsync);
        api.MapDelete("/{id:long}/members/me", (long id, ClaimsPrincipal user, EnrolmentService s, CancellationToken ct) => RemoveAsync(id, user.UserId(), user, s, ct));
        api.MapDelete("/{id:long}/members/{userId:long}", RemoveAsync);
        api.MapPost("/{id:long}/coeducators", AddCoEducatorAsync);
        api.MapDelete("/{id:long}/coeducators/{userId:long}", RemoveCoEducatorAsync);
        // Multipart from scripts and the roster page's own handler; cookies are SameSite=Lax, so
        // another site cannot post this form with the user's session.
        api.MapPost("/{id:long}/roster", RosterAsync).DisableAntiforgery();
    }

    static async Task<Results<Created<CourseDto>, ProblemHttpResult>> CreateAsync(CourseRequest request, ClaimsPrincipal user, CourseService courses, CancellationToken ct)
    {
        var outcome = await courses.CreateAsync(Caller.From(user), request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/courses/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Ok<Paged<CourseDto>>> SearchAsync([AsParameters] CourseQuery query, ClaimsPrincipal user, CourseService courses, IOptions<LimitsOptions> limits, CancellationToken ct) =>
        TypedResults.Ok(await courses.SearchAsync(Caller.From(user), query, limits.Value.MaxPageSize, ct));

    static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, CourseService courses, CancellationToken ct) =>
        Reply(await courses.GetAsync(Caller.From(user), id, ct));

    static async Task<Results<Ok<CourseDto>, ProblemHttpResult>> UpdateAsync(long id, CourseRequest request, ClaimsPrincipal user, CourseService courses, CancellationToken ct) =>
        Reply(await courses.UpdateAsync(Caller.From(user), id, request, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, CourseDeletion deletion, CancellationToken ct) =>
        Done(await deletion.DeleteAsync(Caller.From(user), id, ct));

    static async Task<Results<Created<ApplicationDto>, ProblemHttpResult>> ApplyAsync(long id, ClaimsPrincipal user, EnrolmentService enrolments, CancellationToken ct)
    {
        var outcome = await enrolments.ApplyAsync(Caller.From(user), id, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/courses/{id}/applications/{outcome.Value!.Id}", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<Ok<IReadOnlyList<ApplicationDto>>, ProblemHttpResult>> ApplicationsAsync(long id, string? status, ClaimsPrincipal user, EnrolmentService enrolments, CancellationToken ct) =>
        Reply(await enrolments.ListApplicationsAsync(Caller.From(user), id, status, ct));

    static async Task<Results<Ok<ApplicationDto>, ProblemHttpResult>> DecideAsync(long id, long appId, bool accept, ClaimsPrincipal user, EnrolmentService enrolments, CancellationToken ct) =>
        Reply(await enrolments.DecideAsync(Caller.From(user), id, appId, accept, ct));

    static async Task<Results<Ok<IReadOnlyList<MemberDto>>, ProblemHttpResult>> MembersAsync(long id, ClaimsPrincipal user, EnrolmentService enrolments, CancellationToken ct) =>
        Reply(await enrolments.MembersAsync(Caller.From(user), id, ct));

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportMembersAsync(long id, ClaimsPrincipal user, MemberExport export, CancellationToken ct)
    {
        var outcome = await export.CsvAsync(Caller.From(user), id, ct);
        return outcome.Succeeded ? TypedResults.File(outcome.Value!, "text/csv; charset=utf-8", $"course-{id}-members.csv") : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long id, long userId, ClaimsPrincipal user, EnrolmentService enrolments, CancellationToken ct) =>
        Done(await enrolments.RemoveAsync(Caller.From(user), id, userId, ct));

    static async Task<Results<Created<MemberDto>, ProblemHttpResult>> AddCoEducatorAsync(long id, CoEducatorRequest request, ClaimsPrincipal user, CoEducatorService coEducators, CancellationToken ct)
    {
        var outcome = await coEducators.AddAsync(Caller.From(user), id, request, ct);
        return outcome.Succeeded ? TypedResults.Created($"/api/v1/courses/{id}/members", outcome.Value) : outcome.Problem!.ToResult();
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveCoEducatorAsync(long id, long userId, ClaimsPrincipal user, CoEducatorService coEducators, CancellationToken ct) =>
        Done(await coEducators.RemoveAsync(Caller.From(user), id, userId, ct));

    /// <summary>Answers 200 with one entry per row; a confirmed import of a file with invalid rows is a 400 carrying the same rows.</summary>
    static async Task<Results<Ok<RosterReport>, ProblemHttpResult>> RosterAsync(
        long id, bool? dryRun, HttpRequest request, ClaimsPrincipal user, RosterImport roster, IOptions<CoursesOptions> options,
        IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (await roster.AuthorizeAsync(caller, id, ct) is { } refused)
        {
            return refused.ToResult();
        }
        var upload = await Uploads.ReadAsync(request, options.Value.MaxRosterBytes, t, ct);
        if (!upload.Succeeded)
        {
            return upload.Problem!.ToResult();
        }
        using var buffer = new MemoryStream();
        await upload.Value!.CopyToAsync(buffer, ct);
        var outcome = await roster.ImportAsync(caller, id, buffer.ToArray(), dryRun == true, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Problem!.ToResult();
        }
        var report = outcome.Value!;
        if (!report.DryRun && !report.Valid)
        {
            return TypedResults.Problem(report.Problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["rows"] = report.Rows, ["invalid"] = report.Invalid });
        }
        return TypedResults.Ok(report);
    }

    internal static Results<Ok<T>, ProblemHttpResult> Reply<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Problem!.ToResult();

    internal static Results<NoContent, ProblemHttpResult> Done(Problem? problem) =>
        problem is null ? TypedResults.NoContent() : problem.ToResult();
}
