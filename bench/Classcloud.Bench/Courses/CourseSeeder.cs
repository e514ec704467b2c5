using Classcloud.Web.Courses;
using Classcloud.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Bench.Courses;

/// <summary>What the seeder made: the course and the post that carries the long comment thread.</summary>
internal sealed record SeededCourse(long CourseId, long ThreadPostId, int Posts, int Comments);

/// <summary>
/// Writes the issue 6 data set straight into the database the running host uses, through the
/// host's own EF Core model (<see cref="ClasscloudDb"/> and its entity classes), in a few batched
/// transactions. Seeding 20,000 rows through the API would spend minutes on two shared cores
/// (each comment takes the post's row lock, and reply inserts shift the ordinals behind them);
/// the rows written here are the ones the API writes, with the thread keys computed by the
/// host's <see cref="CommentRules"/>.
/// </summary>
internal static class CourseSeeder
{
    /// <summary>Comments per top-level comment: itself, two replies, and a reply to the first reply (depths 0, 1, 2, 1).</summary>
    const int GroupSize = 4;

    public static async Task<SeededCourse> SeedAsync(
        string provider, string connectionString, string ownerEmail, IReadOnlyList<string> studentEmails, int posts, int comments, CancellationToken ct)
    {
        if (comments % GroupSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(comments), $"The thread is built in groups of {GroupSize} comments.");
        }
        var builder = new DbContextOptionsBuilder<ClasscloudDb>();
        if (provider == "postgres")
        {
            builder.UseNpgsql(connectionString);
        }
        else
        {
            builder.UseSqlite(connectionString);
        }
        await using var db = new ClasscloudDb(builder.Options);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTime.UtcNow;
        // The accounts were signed up through the API; only their ids are looked up here.
        var ids = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null).ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, ct);
        var ownerId = ids[ownerEmail.ToUpperInvariant()];
        var studentIds = studentEmails.Select(e => ids[e.ToUpperInvariant()]).ToList();

        var course = new Course
        {
            Name = "Benchmark course", Description = "2026-2", JoinPolicy = JoinPolicy.Approval,
            OwnerId = ownerId, CreatedAt = now, UpdatedAt = now,
        };
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        db.Enrolments.AddRange(studentIds.Select(id => new Enrolment
        {
            CourseId = course.Id, UserId = id, Status = EnrolmentStatus.Accepted, AppliedAt = now, DecidedAt = now,
        }));

        // Posts on the free board by the students in turn, oldest first; the newest carries the thread.
        var start = now.AddDays(-posts / 100.0);
        var rows = Enumerable.Range(1, posts).Select(i => new Post
        {
            CourseId = course.Id, Board = BoardKind.Free, AuthorId = studentIds[i % studentIds.Count],
            Title = $"Question {i} about the assignment", Body = $"Post {i}: why does **my loop** stop early?\n\n```csharp\nfor (var i = 0; i < n; i++) {{ }}\n```",
            Visibility = PostVisibility.Everyone, CreatedAt = start.AddSeconds(i * 864), UpdatedAt = start.AddSeconds(i * 864),
        }).ToList();
        db.Posts.AddRange(rows);
        await db.SaveChangesAsync(ct);
        var thread = rows[^1];
        db.ChangeTracker.Clear();

        await SeedThreadAsync(db, thread, studentIds, comments, now, ct);
        if (provider != "postgres")
        {
            // The host opens its own connections; do not keep the file open from here.
            SqliteConnection.ClearAllPools();
        }
        return new SeededCourse(course.Id, thread.Id, posts, comments);
    }

    /// <summary>
    /// The thread as the API builds it when each group is written in order (comment, reply to it,
    /// reply to that reply, second reply): the same Path, Depth, Ordinal and reply counters.
    /// </summary>
    static async Task SeedThreadAsync(ClasscloudDb db, Post thread, List<long> authors, int comments, DateTime now, CancellationToken ct)
    {
        var groups = comments / GroupSize;
        Comment New(int ordinal, int depth, string path, long? parentId, int replies) => new()
        {
            PostId = thread.Id, ParentId = parentId, AuthorId = authors[ordinal % authors.Count], Depth = depth, Path = path,
            Ordinal = ordinal, ReplyCount = replies, Body = $"Comment {ordinal}: try `i <= n`?", CreatedAt = now.AddSeconds(-comments + ordinal),
        };

        // Level by level, so each reply can name its parent's generated id.
        var top = Enumerable.Range(0, groups).Select(g => New(g * GroupSize + 1, 0, CommentRules.Segment(g + 1), null, 2)).ToList();
        db.Comments.AddRange(top);
        await db.SaveChangesAsync(ct);
        var first = top.Select(c => New(c.Ordinal + 1, 1, c.Path + CommentRules.Segment(1), c.Id, 1)).ToList();
        var second = top.Select(c => New(c.Ordinal + 3, 1, c.Path + CommentRules.Segment(2), c.Id, 0)).ToList();
        db.Comments.AddRange(first);
        db.Comments.AddRange(second);
        await db.SaveChangesAsync(ct);
        db.Comments.AddRange(first.Select(c => New(c.Ordinal + 1, 2, c.Path + CommentRules.Segment(1), c.Id, 0)));
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        await db.Posts.Where(p => p.Id == thread.Id).ExecuteUpdateAsync(
            s => s.SetProperty(p => p.CommentCount, comments).SetProperty(p => p.TopLevelCommentCount, groups), ct);
    }
}
