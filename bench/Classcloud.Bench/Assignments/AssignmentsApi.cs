using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Bench.Accounts;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Bench.Assignments;

/// <summary>
/// What both assignment parts need from the host: a course with its students (written into the host's database,
/// as <see cref="Courses.CourseSeeder"/> does: enrolling through the API is not what is measured), and the
/// assignment API itself (create, update, grade, progress, submissions), called as the course's owner.
/// </summary>
internal static class AssignmentsApi
{
    public static ClasscloudDb Open(string connectionString) =>
        new(new DbContextOptionsBuilder<ClasscloudDb>().UseSqlite(connectionString).Options);

    /// <summary>A course owned by <paramref name="ownerEmail"/> with every student accepted; the course id and the students' user ids in order.</summary>
    public static async Task<(long CourseId, IReadOnlyList<long> Students)> SeedCourseAsync(
        string connectionString, string ownerEmail, IReadOnlyList<string> studentEmails, CancellationToken ct)
    {
        await using var db = Open(connectionString);
        var now = DateTime.UtcNow;
        var ids = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null).ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, ct);
        var course = new Course
        {
            Name = "Assignments benchmark", Description = "2026-2", JoinPolicy = JoinPolicy.Approval,
            OwnerId = ids[ownerEmail.ToUpperInvariant()], CreatedAt = now, UpdatedAt = now,
        };
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        var students = studentEmails.Select(e => ids[e.ToUpperInvariant()]).ToList();
        db.Enrolments.AddRange(students.Select(id => new Enrolment
        {
            CourseId = course.Id, UserId = id, Status = EnrolmentStatus.Accepted, AppliedAt = now, DecidedAt = now,
        }));
        await db.SaveChangesAsync(ct);
        // The host opens its own connections; do not keep the file open from here.
        SqliteConnection.ClearAllPools();
        return (course.Id, students);
    }

    /// <summary>POST /api/v1/courses/{id}/assignments; the new assignment's id.</summary>
    public static async Task<long> CreateAsync(HttpClient owner, long courseId, object body, CancellationToken ct)
    {
        using var response = await owner.PostAsJsonAsync($"/api/v1/courses/{courseId}/assignments", body, ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.Created, "create an assignment", ct);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
    }

    /// <summary>PUT /api/v1/assignments/{id} with the whole assignment (the API replaces it).</summary>
    public static async Task UpdateAsync(HttpClient owner, long id, object body, CancellationToken ct)
    {
        using var response = await owner.PutAsJsonAsync($"/api/v1/assignments/{id}", body, ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, "update the assignment", ct);
    }

    /// <summary>"Grade all" (every submission, not only each student's latest: <c>?all=true</c>).</summary>
    public static async Task GradeAllAsync(HttpClient owner, long id, CancellationToken ct)
    {
        using var response = await owner.PostAsync(new Uri($"/api/v1/assignments/{id}/grade?all=true", UriKind.Relative), null, ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, "grade all", ct);
    }

    public sealed record Progress(int Queued, int Running, int Done, int Failed, int Total);

    public static async Task<Progress> ProgressAsync(HttpClient owner, long id, CancellationToken ct)
    {
        using var response = await owner.GetAsync(new Uri($"/api/v1/assignments/{id}/grade", UriKind.Relative), ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, "grading progress", ct);
        return (await response.Content.ReadFromJsonAsync<Progress>(JsonSerializerOptions.Web, ct))!;
    }

    public sealed record SubmissionRow(long Id, long UserId, string Source, DateTime TakenAt, int FileCount, string? Note, string ContentHash);

    /// <summary>GET /api/v1/assignments/{id}/submissions as the educator: every submission of every student.</summary>
    public static async Task<List<SubmissionRow>> SubmissionsAsync(HttpClient owner, long id, CancellationToken ct)
    {
        using var response = await owner.GetAsync(new Uri($"/api/v1/assignments/{id}/submissions", UriKind.Relative), ct);
        await BenchUser.ExpectAsync(response, HttpStatusCode.OK, "list the submissions", ct);
        return (await response.Content.ReadFromJsonAsync<List<SubmissionRow>>(JsonSerializerOptions.Web, ct))!;
    }

    /// <summary>An assignment body as the API takes it (issue 13 contract).</summary>
    public static object Body(string title, string slug, string language, string? runCommand, DateTimeOffset opensAt, DateTimeOffset dueAt,
        IReadOnlyList<object> starterFiles, IReadOnlyList<object> tests) => new
        {
            title, slug, description = $"{title} (benchmark)", language, runCommand, opensAt, dueAt,
            latePolicy = new { kind = "none" }, starterFiles, tests,
        };
}
