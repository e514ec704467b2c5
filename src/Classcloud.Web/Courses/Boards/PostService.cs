using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>The three boards of a course (seed 000 §3.4.3, POST01–POST12).</summary>
public sealed class PostService(
    ClasscloudDb db, CourseGate gate, Notifier notifier, BoardCounts boards, AttachmentStore files, TimeProvider time)
{
    /// <summary>A board page: pinned notices first, then newest first; search in titles and bodies.</summary>
    public async Task<Outcome<Paged<PostSummaryDto>>> ListAsync(Caller caller, long courseId, BoardKind board, PostQuery query, int maxPageSize, CancellationToken ct)
    {
        var opened = await gate.OpenAsMemberAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        var (page, size) = Paging.Clamp(query.Page, query.PageSize, maxPageSize);
        var me = caller.UserId;
        var q = db.Posts.AsNoTracking().Where(p => p.CourseId == courseId && p.Board == board);
        if (!access.IsEducator)
        {
            // The same rule as CourseAccess.CanSee, in SQL: educators-only posts never reach students.
            q = q.Where(p => !p.Hidden && (p.Visibility == PostVisibility.Everyone || p.AuthorId == me));
        }
        int total;
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var text = query.Q.Trim();
            text = text.Length > CourseLimits.Title ? text[..CourseLimits.Title] : text;
            q = q.Where(p => p.Title.Contains(text) || p.Body.Contains(text));
            total = await q.CountAsync(ct);
        }
        else
        {
            // The board's counters instead of counting every post; a student's own private posts are few.
            var counts = await boards.GetAsync(courseId, board, ct);
            total = access.IsEducator ? counts.PostCount
                : counts.PublicPostCount + await db.Posts.CountAsync(p => p.AuthorId == me && p.CourseId == courseId && p.Board == board
                    && p.Visibility == PostVisibility.Educators && !p.Hidden, ct);
        }
        var rows = await q.OrderByDescending(p => p.Pinned).ThenByDescending(p => p.Id)
            .Skip((page - 1) * size).Take(size)
            .Select(p => new
            {
                Post = new { p.Id, p.Board, p.Title, p.AuthorId, p.Visibility, p.Pinned, p.Hidden, p.CommentCount, p.CreatedAt, p.UpdatedAt },
                Author = db.Users.Where(u => u.Id == p.AuthorId).Select(u => new UserRef(u.Id, u.Name, u.Nickname)).FirstOrDefault(),
                Read = db.PostReads.Any(r => r.PostId == p.Id && r.UserId == me),
            })
            .ToListAsync(ct);
        var items = rows.Select(r => new PostSummaryDto(r.Post.Id, CourseNames.Of(r.Post.Board), r.Post.Title, r.Author,
            CourseNames.Of(r.Post.Visibility), r.Post.Pinned, r.Post.Hidden, r.Post.CommentCount, !r.Read, r.Post.CreatedAt, r.Post.UpdatedAt)).ToList();
        return new Paged<PostSummaryDto>(items, page, size, total);
    }

    public async Task<Outcome<PostDto>> CreateAsync(Caller caller, long courseId, BoardKind board, PostRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenAsync(courseId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var access = opened.Value!;
        if (access.IsMember && access.Course.ArchivedAt is not null)
        {
            return gate.Archived;
        }
        if (!access.CanWrite(board))
        {
            return board == BoardKind.Notice && access.IsMember
                ? Problem.Forbidden("Only the course's educators write notices.")
                : gate.NotMember;
        }
        var problem = Validate(request, board, out var visibility);
        if (problem is not null)
        {
            return problem;
        }
        await boards.GetAsync(courseId, board, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var post = new Post
        {
            CourseId = courseId,
            Board = board,
            AuthorId = caller.UserId,
            Title = request.Title!.Trim(),
            Body = request.Body ?? "",
            Visibility = visibility,
            Pinned = board == BoardKind.Notice && request.Pinned == true,
            Important = board == BoardKind.Notice && request.Important == true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Posts.Add(post);
        await db.SaveChangesAsync(ct);
        await boards.MoveAsync(courseId, board, 1, Board.IsPublic(post) ? 1 : 0, ct);
        db.PostReads.Add(new PostRead { PostId = post.Id, UserId = caller.UserId, ReadAt = now });
        if (board == BoardKind.Notice)
        {
            var people = await CourseMembers.IdsAsync(db, courseId, ct);
            await notifier.ToManyAsync(people.Where(p => p != caller.UserId), NotificationKind.NewNotice, access.Course, ct, post);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await DescribeAsync(new PostAccess(post, access), ct);
    }

    /// <summary>The post with its Markdown and safe HTML; opening it clears its unread mark.</summary>
    public async Task<Outcome<PostDto>> GetAsync(Caller caller, long postId, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        await MarkReadAsync(postId, caller.UserId, ct);
        return await DescribeAsync(opened.Value!, ct);
    }

    public async Task<Outcome<PostDto>> UpdateAsync(Caller caller, long postId, PostRequest request, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (post, access) = opened.Value!;
        if (!access.CanEdit(post))
        {
            return post.Board == BoardKind.Notice
                ? Problem.Forbidden("Only the course's educators edit notices.")
                : Problem.Forbidden("Only the author can edit this post.");
        }
        var problem = Validate(request, post.Board, out var visibility);
        if (problem is not null)
        {
            return problem;
        }
        // The board's row exists before anything changes, so the counters move from a true start.
        await boards.GetAsync(post.CourseId, post.Board, ct);
        var wasPublic = Board.IsPublic(post);
        post.Title = request.Title!.Trim();
        post.Body = request.Body ?? "";
        post.Visibility = visibility;
        if (post.Board == BoardKind.Notice && request.Pinned is { } pinned)
        {
            post.Pinned = pinned;
        }
        if (post.Board == BoardKind.Notice && request.Important is { } important)
        {
            // Only the flag changes: the mail to every member goes out when the notice is posted, not on edits.
            post.Important = important;
        }
        post.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await SaveWithCountsAsync(post, wasPublic, ct);
        return await DescribeAsync(opened.Value!, ct);
    }

    /// <summary>Deletes the post with its comments and attachments (fig. 106–107).</summary>
    public async Task<Problem?> DeleteAsync(Caller caller, long postId, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem;
        }
        var (post, access) = opened.Value!;
        if (!access.CanDelete(post))
        {
            return post.Board == BoardKind.Notice
                ? Problem.Forbidden("Only the course's educators delete notices.")
                : Problem.Forbidden("Only the author or an educator of the course can delete this post.");
        }
        var keys = await db.Attachments.Where(a => a.PostId == postId).Select(a => a.StorageKey).ToListAsync(ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Posts.Where(p => p.Id == postId).ExecuteDeleteAsync(ct) == 1)
            {
                await boards.MoveAsync(post.CourseId, post.Board, -1, Board.IsPublic(post) ? -1 : 0, ct);
            }
            await tx.CommitAsync(ct);
        }
        files.DeleteAll(keys);
        return null;
    }

    /// <summary>Moderation: an educator hides a post from everyone but the educators, or shows it again.</summary>
    public async Task<Outcome<PostDto>> SetHiddenAsync(Caller caller, long postId, bool hidden, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (post, access) = opened.Value!;
        if (!access.IsEducator)
        {
            return gate.NotEducator;
        }
        await boards.GetAsync(post.CourseId, post.Board, ct);
        var wasPublic = Board.IsPublic(post);
        post.Hidden = hidden;
        await SaveWithCountsAsync(post, wasPublic, ct);
        return await DescribeAsync(opened.Value!, ct);
    }

    /// <summary>Saves a changed post and moves the board's public count with it, in one transaction.</summary>
    async Task SaveWithCountsAsync(Post post, bool wasPublic, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await boards.ChangedAsync(post, wasPublic, ct);
        await tx.CommitAsync(ct);
    }

    async Task MarkReadAsync(long postId, long userId, CancellationToken ct)
    {
        if (await db.PostReads.AnyAsync(r => r.PostId == postId && r.UserId == userId, ct))
        {
            return;
        }
        try
        {
            db.PostReads.Add(new PostRead { PostId = postId, UserId = userId, ReadAt = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Opened twice at the same moment: the other request already recorded it.
            db.ChangeTracker.Clear();
        }
    }

    async Task<PostDto> DescribeAsync(PostAccess opened, CancellationToken ct)
    {
        var (p, access) = opened;
        var author = await db.Users.AsNoTracking().Where(u => u.Id == p.AuthorId).Select(u => new UserRef(u.Id, u.Name, u.Nickname)).FirstOrDefaultAsync(ct);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.PostId == p.Id).OrderBy(a => a.Id)
            .Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, "/api/v1/attachments/" + a.Id)).ToListAsync(ct);
        return new PostDto(p.Id, p.CourseId, access.Course.Name, CourseNames.Of(p.Board), p.Title, p.Body, MarkdownRenderer.ToHtml(p.Body), author,
            CourseNames.Of(p.Visibility), p.Pinned, p.Hidden, p.CommentCount, attachments,
            access.CanEdit(p), access.CanDelete(p), access.IsEducator, p.CreatedAt, p.UpdatedAt, p.Important);
    }

    static Problem? Validate(PostRequest request, BoardKind board, out PostVisibility visibility)
    {
        visibility = PostVisibility.Everyone;
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            return Problem.BadRequest("{0} is required.", Sentences.Format("Title", []));
        }
        if (request.Title.Length > CourseLimits.Title || request.Title.Any(char.IsControl))
        {
            return Problem.BadRequest("{0} must be at most {1} characters, without control characters.", Sentences.Format("Title", []), CourseLimits.Title);
        }
        var body = request.Body ?? "";
        if (body.Length > CourseLimits.Body)
        {
            return new Problem(StatusCodes.Status413PayloadTooLarge, "The text is {0} characters long; the limit is {1}.", body.Length, CourseLimits.Body);
        }
        if (!MarkdownRenderer.TryParse(body))
        {
            return Problem.BadRequest("The text is nested too deeply (lists or quotes inside each other); flatten it.");
        }
        var parsed = CourseNames.ParseVisibility(request.Visibility);
        if (parsed is null)
        {
            return Problem.BadRequest("Visibility must be 'everyone' or 'educators'.");
        }
        if (board == BoardKind.Notice && parsed == PostVisibility.Educators)
        {
            return Problem.BadRequest("Notices are for everyone in the course; use 'everyone'.");
        }
        if (request.Pinned == true && board != BoardKind.Notice)
        {
            return Problem.BadRequest("Only notices can be pinned.");
        }
        if (request.Important == true && board != BoardKind.Notice)
        {
            return Problem.BadRequest("Only notices can be marked important.");
        }
        visibility = parsed.Value;
        return null;
    }
}
