using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

/// <summary>Reads and moves the counters of <see cref="Board"/>.</summary>
public sealed class BoardCounts(ClasscloudDb db)
{
    /// <summary>
    /// The board's row; made from the posts when missing (courses written by other means, such as
    /// the benchmark's seeder), so a missing row can never show a wrong total.
    /// </summary>
    public async Task<Board> GetAsync(long courseId, BoardKind kind, CancellationToken ct)
    {
        var board = await db.Boards.AsNoTracking().SingleOrDefaultAsync(b => b.CourseId == courseId && b.Kind == kind, ct);
        if (board is not null)
        {
            return board;
        }
        var posts = db.Posts.Where(p => p.CourseId == courseId && p.Board == kind);
        board = new Board
        {
            CourseId = courseId,
            Kind = kind,
            PostCount = await posts.CountAsync(ct),
            PublicPostCount = await posts.CountAsync(p => p.Visibility == PostVisibility.Everyone && !p.Hidden, ct),
        };
        db.Boards.Add(board);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Made by a concurrent request at the same moment; theirs is as good.
        }
        db.Entry(board).State = EntityState.Detached;
        return board;
    }

    /// <summary>Moves the counters by a post's arrival (+1) or departure (−1), counting it as public or not.</summary>
    public Task MoveAsync(long courseId, BoardKind kind, int posts, int publicPosts, CancellationToken ct) =>
        posts == 0 && publicPosts == 0
            ? Task.CompletedTask
            : db.Boards.Where(b => b.CourseId == courseId && b.Kind == kind)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.PostCount, b => b.PostCount + posts)
                    .SetProperty(b => b.PublicPostCount, b => b.PublicPostCount + publicPosts), ct);

    /// <summary>A post changed visibility or was hidden: the public count follows.</summary>
    public Task ChangedAsync(Post post, bool wasPublic, CancellationToken ct) =>
        MoveAsync(post.CourseId, post.Board, 0, (Board.IsPublic(post) ? 1 : 0) - (wasPublic ? 1 : 0), ct);

    /// <summary>The three empty boards of a new course.</summary>
    public void AddBoards(long courseId)
    {
        foreach (var kind in Enum.GetValues<BoardKind>())
        {
            db.Boards.Add(new Board { CourseId = courseId, Kind = kind });
        }
    }
}
