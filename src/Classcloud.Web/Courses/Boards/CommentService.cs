using Classcloud.Web.Data;
using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Classcloud.Web.Shared;

namespace Classcloud.Web.Courses;

/// <summary>
/// Threaded comments (seed 000 §3.4.3 item 5): ten per page counting replies, in thread order,
/// replies nested up to 15 levels; deleting keeps the place. See <see cref="Comment"/> for the
/// thread key that makes every page an index range.
/// </summary>
public sealed class CommentService(ClasscloudDb db, CourseGate gate, Notifier notifier, TimeProvider time)
{
    public async Task<Outcome<CommentPage>> PageAsync(Caller caller, long postId, int? page, CancellationToken ct)
    {
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (post, access) = opened.Value!;
        var totalPages = CommentRules.TotalPages(post.CommentCount);
        var number = Math.Clamp(page ?? 1, 1, totalPages);
        var from = (number - 1) * CommentRules.PageSize;
        var to = number * CommentRules.PageSize;
        // An index range on (PostId, Ordinal): the same work for page 1 and page 500, no OFFSET.
        var rows = await db.Comments.AsNoTracking()
            .Where(c => c.PostId == postId && c.Ordinal > from && c.Ordinal <= to)
            .OrderBy(c => c.Ordinal)
            .Select(c => new { Comment = c, Author = db.Users.Where(u => u.Id == c.AuthorId).Select(u => new UserRef(u.Id, u.Name, u.Nickname)).FirstOrDefault() })
            .ToListAsync(ct);
        var items = rows.Select(r => Describe(r.Comment, r.Author, access)).ToList();
        return new CommentPage(items, number, totalPages, post.CommentCount);
    }

    /// <summary>The page a comment is on now (replies inserted above it move it down).</summary>
    public async Task<int?> PageOfAsync(long postId, long commentId, CancellationToken ct)
    {
        var ordinal = await db.Comments.Where(c => c.Id == commentId && c.PostId == postId).Select(c => (int?)c.Ordinal).SingleOrDefaultAsync(ct);
        return ordinal is { } o ? CommentRules.PageOf(o) : null;
    }

    public async Task<Outcome<CreatedComment>> AddAsync(Caller caller, long postId, CommentRequest request, CancellationToken ct)
    {
        var body = request.Body?.Trim() ?? "";
        if (body.Length == 0)
        {
            return Problem.BadRequest("Write something first.");
        }
        if (body.Length > CourseLimits.CommentBody)
        {
            return new Problem(StatusCodes.Status413PayloadTooLarge, "The text is {0} characters long; the limit is {1}.", body.Length, CourseLimits.CommentBody);
        }
        if (!MarkdownRenderer.TryParse(body))
        {
            return Problem.BadRequest("The text is nested too deeply (lists or quotes inside each other); flatten it.");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Taking the post's row first makes concurrent comments on one post take turns, so ordinals stay dense.
        if (await db.Posts.Where(p => p.Id == postId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentCount, p => p.CommentCount + 1), ct) == 0)
        {
            return gate.NoSuchPost;
        }
        var opened = await gate.OpenPostAsync(postId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!;
        }
        var (post, access) = opened.Value!;
        if (access.Course.ArchivedAt is not null)
        {
            return gate.Archived;
        }
        if (post.CommentCount > CourseLimits.MaxCommentsPerPost)
        {
            return Problem.Conflict("This post has reached {0} comments; start a new post.", CourseLimits.MaxCommentsPerPost);
        }
        Comment? parent = null;
        var comment = new Comment { PostId = postId, AuthorId = caller.UserId, Body = body, CreatedAt = time.GetUtcNow().UtcDateTime };
        if (request.ParentId is { } parentId)
        {
            parent = await db.Comments.SingleOrDefaultAsync(c => c.Id == parentId && c.PostId == postId, ct);
            if (parent is null)
            {
                return Problem.NotFound("No such comment on this post.");
            }
            if (parent.DeletedAt is not null)
            {
                return Problem.Conflict("This comment was deleted; it cannot be answered.");
            }
            if (parent.Depth >= CommentRules.MaxReplyDepth)
            {
                return Problem.BadRequest("Replies can be nested at most {0} levels deep; answer a comment higher up.", CommentRules.MaxReplyDepth);
            }
            parent.ReplyCount++;
            comment.ParentId = parent.Id;
            comment.Depth = parent.Depth + 1;
            comment.Path = parent.Path + CommentRules.Segment(parent.ReplyCount);
            // The reply goes after the parent's last descendant: the first later comment that is
            // no deeper than the parent ends the parent's subtree; it and everything after move down one.
            var next = await db.Comments.Where(c => c.PostId == postId && c.Ordinal > parent.Ordinal && c.Depth <= parent.Depth)
                .MinAsync(c => (int?)c.Ordinal, ct);
            if (next is { } position)
            {
                await db.Comments.Where(c => c.PostId == postId && c.Ordinal >= position)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Ordinal, c => c.Ordinal + 1), ct);
                comment.Ordinal = position;
            }
            else
            {
                comment.Ordinal = post.CommentCount;
            }
        }
        else
        {
            post.TopLevelCommentCount++;
            comment.Path = CommentRules.Segment(post.TopLevelCommentCount);
            comment.Ordinal = post.CommentCount;
        }
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        await NotifyAsync(caller, access.Course, post, parent, comment, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var author = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId).Select(u => new UserRef(u.Id, u.Name, u.Nickname)).SingleAsync(ct);
        return new CreatedComment(Describe(comment, author, access), CommentRules.PageOf(comment.Ordinal));
    }

    /// <summary>The author or an educator deletes: the comment keeps its place and replies, without author or text.</summary>
    public async Task<Problem?> DeleteAsync(Caller caller, long commentId, CancellationToken ct)
    {
        var comment = await db.Comments.SingleOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null)
        {
            return Problem.NotFound("No such comment.");
        }
        var opened = await gate.OpenPostAsync(comment.PostId, caller, ct);
        if (!opened.Succeeded)
        {
            return opened.Problem!.Status == StatusCodes.Status404NotFound ? Problem.NotFound("No such comment.") : opened.Problem;
        }
        if (comment.DeletedAt is not null)
        {
            return null;
        }
        if (comment.AuthorId != caller.UserId && !opened.Value!.Course.IsEducator)
        {
            return Problem.Forbidden("Only the author or an educator of the course can delete this comment.");
        }
        comment.DeletedAt = time.GetUtcNow().UtcDateTime;
        comment.Body = "";
        comment.AuthorId = null;
        // "X replied" would name the hidden author.
        await db.Notifications.Where(n => n.CommentId == commentId).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    async Task NotifyAsync(Caller caller, Course course, Post post, Comment? parent, Comment comment, CancellationToken ct)
    {
        var (to, kind) = parent is null ? (post.AuthorId, NotificationKind.ReplyToPost) : (parent.AuthorId, NotificationKind.ReplyToComment);
        if (to is { } user && user != caller.UserId)
        {
            notifier.Add(user, kind, course, await notifier.ActorAsync(caller.UserId, ct), post, comment.Id);
        }
    }

    static CommentDto Describe(Comment c, UserRef? author, CourseAccess access)
    {
        var deleted = c.DeletedAt is not null;
        return new CommentDto(c.Id, c.ParentId, c.Depth, deleted ? null : author, deleted ? null : c.Body,
            deleted ? null : MarkdownRenderer.ToHtml(c.Body), deleted,
            !deleted && (c.AuthorId == access.Caller.UserId || access.IsEducator), c.CreatedAt);
    }
}
