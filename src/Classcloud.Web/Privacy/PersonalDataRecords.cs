using Classcloud.Web.Assignments;
using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Privacy;

/// <summary>
/// The rows about one person, shaped for reading (names, not foreign keys). Scores appear only where the
/// educator released them: an export must not show a student what the course page does not yet.
/// </summary>
public sealed class PersonalDataRecords(ClasscloudDb db)
{
    public async Task<object> ProfileAsync(long userId, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().SingleAsync(x => x.Id == userId, ct);
        var logins = await db.UserLogins.AsNoTracking().Where(l => l.UserId == userId).Select(l => l.LoginProvider).ToListAsync(ct);
        var tokens = await db.PersonalAccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Id)
            .Select(t => new { t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt }).ToListAsync(ct);
        return new
        {
            u.Id, u.Email, u.EmailConfirmed, u.Name, u.Nickname, Role = u.Role.ToString().ToLowerInvariant(),
            Status = u.Status.ToString().ToLowerInvariant(), u.Culture, u.CreatedAt, ExternalSignIns = logins, AccessTokens = tokens,
        };
    }

    public async Task<object> CoursesAsync(long userId, CancellationToken ct)
    {
        var owned = await db.Courses.AsNoTracking().Where(c => c.OwnerId == userId).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.Description, c.Section, c.CreatedAt, c.ArchivedAt }).ToListAsync(ct);
        var teaching = await db.CoEducators.AsNoTracking().Where(x => x.UserId == userId)
            .Join(db.Courses, x => x.CourseId, c => c.Id, (x, c) => new { CourseId = c.Id, c.Name, x.AddedAt }).ToListAsync(ct);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.UserId == userId)
            .Join(db.Courses, e => e.CourseId, c => c.Id, (e, c) => new { CourseId = c.Id, c.Name, e.Status, e.StudentNumber, e.AppliedAt, e.DecidedAt })
            .ToListAsync(ct);
        return new
        {
            Owned = owned,
            CoEducator = teaching,
            Enrolments = enrolments.Select(e => new { e.CourseId, e.Name, Status = e.Status.ToString().ToLowerInvariant(), e.StudentNumber, e.AppliedAt, e.DecidedAt }),
        };
    }

    public async Task<object> PostsAsync(long userId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().Where(p => p.AuthorId == userId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.CourseId, p.Board, p.Title, p.Body, p.Visibility, p.Hidden, p.CreatedAt, p.UpdatedAt }).ToListAsync(ct);
        return posts.Select(p => new
        {
            p.Id, p.CourseId, Board = CourseNames.Of(p.Board), p.Title, p.Body, Visibility = CourseNames.Of(p.Visibility), p.Hidden, p.CreatedAt, p.UpdatedAt,
        });
    }

    public async Task<object> CommentsAsync(long userId, CancellationToken ct) =>
        await db.Comments.AsNoTracking().Where(c => c.AuthorId == userId).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.PostId, c.ParentId, c.Body, c.CreatedAt, c.DeletedAt }).ToListAsync(ct);

    public async Task<List<SubmissionRecord>> SubmissionsAsync(long userId, CancellationToken ct)
    {
        var rows = await db.Submissions.AsNoTracking().Where(s => s.UserId == userId)
            .Join(db.Assignments, s => s.AssignmentId, a => a.Id, (s, a) => new { s, a })
            .OrderBy(x => x.s.Id).ToListAsync(ct);
        var ids = rows.Where(r => r.a.Released).Select(r => r.s.Id).ToList();
        var results = await db.TestResults.AsNoTracking().Where(r => ids.Contains(r.SubmissionId))
            .Join(db.AssignmentTests, r => r.TestId, t => t.Id, (r, t) => new { r.SubmissionId, Test = t.Name, t.Visibility, r.Passed, r.Points, r.TimeMs, r.TimedOut })
            .ToListAsync(ct);
        return rows.Select(x => new SubmissionRecord(
            x.s.Id, x.a.CourseId, x.a.Id, x.a.Title, x.s.Source, x.s.TakenAt, x.s.Late, x.s.SizeBytes, x.s.FilesJson, x.s.ArchiveKey,
            x.a.Released ? x.s.Override ?? x.s.Score : null, x.a.Released ? x.s.MaxScore : null, x.a.Released ? x.s.Feedback : null,
            x.a.Released ? results.Where(r => r.SubmissionId == x.s.Id && r.Visibility != TestVisibility.Hidden)
                .Select(r => new TestRecord(r.Test, r.Passed, r.Points, r.TimeMs, r.TimedOut)).ToList() : null)).ToList();
    }

    public async Task<object> WorkspacesAsync(long userId, CancellationToken ct)
    {
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.OwnerId == userId).OrderBy(w => w.Id).ToListAsync(ct);
        var snapshots = await db.WorkspaceSnapshots.AsNoTracking().Where(s => s.OwnerId == userId).OrderBy(s => s.Id)
            .Select(s => new { s.Id, s.WorkspaceId, s.Number, s.SizeBytes, s.CreatedAt }).ToListAsync(ct);
        return new
        {
            Workspaces = workspaces.Select(w => new
            {
                w.Id, w.Name, w.Description, Kind = w.Kind.ToString().ToLowerInvariant(), State = w.State.ToString().ToLowerInvariant(),
                w.CourseId, w.CreatedAt, w.UpdatedAt,
            }),
            Snapshots = snapshots,
        };
    }

    public async Task<object> ProjectsAsync(long userId, CancellationToken ct) =>
        await db.Projects.AsNoTracking().Where(p => p.OwnerId == userId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Name, p.Access, p.CourseId, p.CreatedAt, p.UpdatedAt, Revisions = db.ProjectRevisions.Count(r => r.ProjectId == p.Id) })
            .ToListAsync(ct);

    /// <summary>What the person did, as the audit log saw it (sign-ins with addresses included).</summary>
    public async Task<object> ActivityAsync(long userId, CancellationToken ct) =>
        await db.Audit.AsNoTracking().Where(a => a.ActorId == userId).OrderBy(a => a.Id)
            .Select(a => new { a.At, a.Action, a.Target, a.Detail, a.IpAddress }).ToListAsync(ct);
}

public sealed record TestRecord(string Test, bool Passed, double Points, int TimeMs, bool TimedOut);

public sealed record SubmissionRecord(
    long Id, long CourseId, long AssignmentId, string Assignment, string Source, DateTime TakenAt, bool Late, long SizeBytes, string FilesJson,
    [property: System.Text.Json.Serialization.JsonIgnore] string ArchiveKey,
    double? Score, double? MaxScore, string? Feedback, IReadOnlyList<TestRecord>? Tests);
