using Classcloud.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Courses;

/// <summary>Who caused a notification, by id and the nickname shown.</summary>
public readonly record struct Actor(long? Id, string Name);

/// <summary>Adds notifications to the request's unit of work, so they are saved with what caused them.</summary>
public sealed class Notifier(ClasscloudDb db, TimeProvider time)
{
    public async Task<Actor> ActorAsync(long userId, CancellationToken ct) =>
        new(userId, await db.Users.Where(u => u.Id == userId).Select(u => u.Nickname).SingleOrDefaultAsync(ct) ?? "");

    public void Add(long userId, NotificationKind kind, string subject, Actor actor,
        long? courseId = null, Post? post = null, long? commentId = null, long? groupId = null)
    {
        db.Notifications.Add(new Notification
        {
            UserId = userId,
            Kind = kind,
            Subject = Shorten(subject, CourseLimits.Name),
            CourseId = courseId,
            PostId = post?.Id,
            Title = post is null ? null : Shorten(post.Title, CourseLimits.Title),
            CommentId = commentId,
            GroupId = groupId,
            ActorId = actor.Id,
            ActorName = Shorten(actor.Name, 50),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
    }

    public void Add(long userId, NotificationKind kind, Course course, Actor actor, Post? post = null, long? commentId = null) =>
        Add(userId, kind, course.Name, actor, course.Id, post, commentId);

    /// <summary>One notification per person (a new notice, a deleted course).</summary>
    public async Task ToManyAsync(IEnumerable<long> userIds, NotificationKind kind, Course course, CancellationToken ct, Post? post = null, Actor? actor = null)
    {
        var who = actor ?? default;
        if (actor is null && post?.AuthorId is { } authorId)
        {
            who = await ActorAsync(authorId, ct);
        }
        foreach (var id in userIds.Distinct())
        {
            Add(id, kind, course, who, post);
        }
    }

    static string Shorten(string value, int max) => value.Length > max ? value[..max] : value;
}
