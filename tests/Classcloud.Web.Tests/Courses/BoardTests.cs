using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Classcloud.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Classcloud.Web.Tests.Courses;

/// <summary>Boards, visibility, moderation, unread marks and threaded comments (seed 000 §3.4.3).</summary>
public abstract class BoardTests(ClasscloudHost host)
{
    [Fact]
    public async Task Private_question_reaches_only_educators_and_the_author_who_sees_the_answer()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var secret = "Secret-" + Guid.NewGuid().ToString("N")[..8];
        var question = await CourseCast.PostAsync(cast.Author, course.Id, "questions", secret + " title", "educators", "my code: " + secret);

        foreach (var student in new[] { cast.Member, cast.Classmate })
        {
            var list = await Api.OkAsync(student.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/questions/posts"));
            Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetInt64() == question);
            var search = await Api.OkAsync(student.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/questions/posts?q={secret}"));
            Assert.Equal(0, search.GetProperty("totalCount").GetInt32());
            await Api.ExpectAsync(student.Client.GetAsync($"/api/v1/posts/{question}"), HttpStatusCode.NotFound);
            await Api.ExpectAsync(student.Client.GetAsync($"/api/v1/posts/{question}/comments"), HttpStatusCode.NotFound);
            await Api.ExpectAsync(student.Client.PostAsJsonAsync($"/api/v1/posts/{question}/comments", new { body = "peek" }), HttpStatusCode.NotFound);
            await Api.ExpectAsync(student.Client.GetAsync($"/api/v1/attachments/{course.PrivateAttachment}"), HttpStatusCode.NotFound);
        }
        var ownerSearch = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/questions/posts?q={secret}"));
        Assert.Equal(1, ownerSearch.GetProperty("totalCount").GetInt32());

        var answer = await Api.CreatedAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/posts/{question}/comments", new { body = "Check line 3." }));
        var news = await Api.OkAsync(cast.Author.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "reply-to-post" && n.GetProperty("text").GetString()!.Contains(secret));
        var thread = await Api.OkAsync(cast.Author.Client.GetAsync($"/api/v1/posts/{question}/comments"));
        Assert.Equal("Check line 3.", Assert.Single(thread.GetProperty("items").EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal(answer.GetProperty("comment").GetProperty("id").GetInt64(), thread.GetProperty("items")[0].GetProperty("id").GetInt64());
        foreach (var student in new[] { cast.Member, cast.Classmate })
        {
            var theirs = await student.Client.GetStringAsync("/api/v1/notifications");
            Assert.DoesNotContain(secret, theirs);
        }
    }

    [Fact]
    public async Task A_notification_about_a_post_disappears_when_the_post_becomes_educators_only()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var title = "Later private " + Guid.NewGuid().ToString("N")[..6];
        var post = await CourseCast.PostAsync(cast.Author, course.Id, "free", title, "everyone");
        var comment = await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "nice" }));
        await Api.CreatedAsync(cast.Author.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments",
            new { body = "thanks", parentId = comment.GetProperty("comment").GetProperty("id").GetInt64() }));
        Assert.Contains(title, await cast.Member.Client.GetStringAsync("/api/v1/notifications"));

        await Api.OkAsync(cast.Author.Client.PutAsJsonAsync($"/api/v1/posts/{post}", new { title, body = "b", visibility = "educators" }));
        Assert.DoesNotContain(title, await cast.Member.Client.GetStringAsync("/api/v1/notifications"));
    }

    [Fact]
    public async Task Notices_are_written_by_educators_pinned_first_and_announced_to_members()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var title = "Exam room " + Guid.NewGuid().ToString("N")[..6];
        var pinned = await Api.CreatedAsync(cast.CoEducator.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/notice/posts",
            new { title, body = "Room 301", pinned = true }));
        await CourseCast.PostAsync(cast.Owner, course.Id, "notice", "Later notice", "everyone");
        var list = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/notice/posts"));
        Assert.Equal(pinned.GetProperty("id").GetInt64(), list.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.True(list.GetProperty("items")[0].GetProperty("unread").GetBoolean());
        var news = await Api.OkAsync(cast.Member.Client.GetAsync("/api/v1/notifications"));
        Assert.Contains(news.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "new-notice" && n.GetProperty("text").GetString()!.Contains(title));

        await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{pinned.GetProperty("id").GetInt64()}"));
        list = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/notice/posts"));
        Assert.False(list.GetProperty("items")[0].GetProperty("unread").GetBoolean());

        var educatorsOnly = await Api.ExpectAsync(cast.Owner.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/notice/posts",
            new { title = "x", body = "y", visibility = "educators" }), HttpStatusCode.BadRequest);
        Assert.Contains("everyone", educatorsOnly.GetProperty("detail").GetString());
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/questions/posts",
            new { title = "x", body = "y", pinned = true }), HttpStatusCode.BadRequest);
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/courses/{course.Id}/boards/questions/posts",
            new { title = "x", body = "y", visibility = "friends" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Educators_hide_posts_as_moderation_and_paging_and_search_work()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var hidden = await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/posts/{course.EveryonePost}/hide", null));
        Assert.True(hidden.GetProperty("hidden").GetBoolean());
        await Api.ExpectAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{course.EveryonePost}"), HttpStatusCode.NotFound);
        await Api.ExpectAsync(cast.Author.Client.GetAsync($"/api/v1/posts/{course.EveryonePost}"), HttpStatusCode.NotFound);
        var educatorView = await Api.OkAsync(cast.CoEducator.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/questions/posts"));
        Assert.Contains(educatorView.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetInt64() == course.EveryonePost && p.GetProperty("hidden").GetBoolean());
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/posts/{course.EveryonePost}/unhide", null));
        await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{course.EveryonePost}"));

        for (var i = 0; i < 25; i++)
        {
            await CourseCast.PostAsync(cast.Member, course.Id, "free", $"Free {i:D2}", "everyone", i % 5 == 0 ? "needle" : "hay");
        }
        var page2 = await Api.OkAsync(cast.Classmate.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/free/posts?page=2&pageSize=10"));
        Assert.Equal(25, page2.GetProperty("totalCount").GetInt32());
        Assert.Equal(3, page2.GetProperty("totalPages").GetInt32());
        Assert.Equal("Free 14", page2.GetProperty("items")[0].GetProperty("title").GetString());
        var search = await Api.OkAsync(cast.Classmate.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/free/posts?q=needle"));
        Assert.Equal(5, search.GetProperty("totalCount").GetInt32());
        await Api.ExpectAsync(cast.Member.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/gossip/posts"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Comments_come_in_thread_order_ten_per_page_counting_replies()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var post = await CourseCast.PostAsync(cast.Author, course.Id, "free", "Thread", "everyone");
        async Task<long> Say(TestUser who, string body, long? parentId = null) =>
            (await Api.CreatedAsync(who.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body, parentId }))).GetProperty("comment").GetProperty("id").GetInt64();

        var a = await Say(cast.Member, "A");
        var b = await Say(cast.Classmate, "B");
        var a1 = await Say(cast.Author, "A1", a);
        await Say(cast.Owner, "B1", b);
        await Say(cast.Member, "A1a", a1);
        await Say(cast.Classmate, "A2", a);
        for (var i = 0; i < 10; i++)
        {
            await Say(cast.Member, $"T{i}");
        }
        var first = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{post}/comments"));
        var second = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{post}/comments?page=2"));
        Assert.Equal(2, first.GetProperty("totalPages").GetInt32());
        Assert.Equal(16, first.GetProperty("totalCount").GetInt32());
        var bodies = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(c => c.GetProperty("body").GetString()).ToList();
        Assert.Equal(["A", "A1", "A1a", "A2", "B", "B1", "T0", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"], bodies);
        Assert.Equal(10, first.GetProperty("items").GetArrayLength());
        Assert.Equal([0, 1, 2, 1, 0, 1], first.GetProperty("items").EnumerateArray().Take(6).Select(c => c.GetProperty("depth").GetInt32()));

        // The thread key and the ordinals agree and stay dense.
        var rows = await host.WithDbAsync(db => db.Comments.Where(c => c.PostId == post).OrderBy(c => c.Ordinal).Select(c => new { c.Ordinal, c.Path }).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 16), rows.Select(r => r.Ordinal));
        Assert.Equal(rows.Select(r => r.Path).Order(StringComparer.Ordinal), rows.Select(r => r.Path));

        var replyPage = await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "B2", parentId = b }));
        Assert.Equal(1, replyPage.GetProperty("page").GetInt32());
        var after = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{post}/comments?page=1"));
        Assert.Equal("B2", after.GetProperty("items")[6].GetProperty("body").GetString());
        Assert.Equal("T2", after.GetProperty("items")[9].GetProperty("body").GetString());
    }

    [Fact]
    public async Task Deleting_a_comment_keeps_its_place_and_replies_but_hides_author_and_text()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var post = course.EveryonePost;
        var parent = course.Comment;
        var reply = await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "reply", parentId = parent }));
        await Api.ExpectAsync(cast.Member.Client.DeleteAsync($"/api/v1/comments/{parent}"), HttpStatusCode.Forbidden);
        await Api.ExpectAsync(cast.Author.Client.DeleteAsync($"/api/v1/comments/{parent}"), HttpStatusCode.NoContent);
        var page = await Api.OkAsync(cast.Member.Client.GetAsync($"/api/v1/posts/{post}/comments"));
        var deleted = page.GetProperty("items")[0];
        Assert.Equal(parent, deleted.GetProperty("id").GetInt64());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("author").ValueKind);
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("body").ValueKind);
        Assert.False(deleted.GetProperty("canDelete").GetBoolean());
        Assert.Equal("reply", page.GetProperty("items")[1].GetProperty("body").GetString());
        // The text and the author are gone from storage too, not only from the answer.
        var stored = await host.WithDbAsync(db => db.Comments.Where(c => c.Id == parent).Select(c => new { c.Body, c.AuthorId }).SingleAsync());
        Assert.Equal("", stored.Body);
        Assert.Null(stored.AuthorId);
        await Api.ExpectAsync(cast.Author.Client.DeleteAsync($"/api/v1/comments/{parent}"), HttpStatusCode.NoContent);
        await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "late", parentId = parent }), HttpStatusCode.Conflict);
        await Api.ExpectAsync(cast.Owner.Client.DeleteAsync($"/api/v1/comments/{reply.GetProperty("comment").GetProperty("id").GetInt64()}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Replies_nest_fifteen_levels_and_the_sixteenth_is_refused_clearly()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        var post = course.EveryonePost;
        long parent = course.Comment;
        for (var level = 1; level <= 15; level++)
        {
            var created = await Api.CreatedAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = $"level {level}", parentId = parent }));
            Assert.Equal(level, created.GetProperty("comment").GetProperty("depth").GetInt32());
            parent = created.GetProperty("comment").GetProperty("id").GetInt64();
        }
        var before = await host.WithDbAsync(db => db.Comments.CountAsync(c => c.PostId == post));
        var refused = await Api.ExpectAsync(cast.Member.Client.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "level 16", parentId = parent }), HttpStatusCode.BadRequest);
        Assert.Contains("15", refused.GetProperty("detail").GetString());
        Assert.Equal(before, await host.WithDbAsync(db => db.Comments.CountAsync(c => c.PostId == post)));
        Assert.Equal(before, await host.WithDbAsync(db => db.Posts.Where(p => p.Id == post).Select(p => p.CommentCount).SingleAsync()));
    }

    [Fact]
    public async Task Board_totals_follow_writes_hiding_visibility_and_deletes_for_each_reader()
    {
        var cast = await CourseCast.ForAsync(host);
        var course = await cast.NewCourseAsync();
        async Task<int> Total(TestUser who) =>
            (await Api.OkAsync(who.Client.GetAsync($"/api/v1/courses/{course.Id}/boards/free/posts"))).GetProperty("totalCount").GetInt32();
        async Task Expect(int member, int author, int educator)
        {
            Assert.Equal(member, await Total(cast.Member));
            Assert.Equal(author, await Total(cast.Author));
            Assert.Equal(educator, await Total(cast.CoEducator));
        }

        var open = await CourseCast.PostAsync(cast.Author, course.Id, "free", "open", "everyone");
        var mine = await CourseCast.PostAsync(cast.Author, course.Id, "free", "mine", "educators");
        await CourseCast.PostAsync(cast.Member, course.Id, "free", "member's", "everyone");
        await Expect(member: 2, author: 3, educator: 3);

        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/posts/{open}/hide", null));
        await Expect(member: 1, author: 2, educator: 3);
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/posts/{open}/hide", null));
        await Expect(member: 1, author: 2, educator: 3);
        await Api.OkAsync(cast.Owner.Client.PostAsync($"/api/v1/posts/{open}/unhide", null));
        await Api.OkAsync(cast.Author.Client.PutAsJsonAsync($"/api/v1/posts/{mine}", new { title = "mine", body = "b", visibility = "everyone" }));
        await Expect(member: 3, author: 3, educator: 3);
        await Api.ExpectAsync(cast.Owner.Client.DeleteAsync($"/api/v1/posts/{open}"), HttpStatusCode.NoContent);
        await Expect(member: 2, author: 2, educator: 2);

        // The counters agree with the posts, and a lost counter row is rebuilt from them.
        var row = await host.WithDbAsync(db => db.Boards.SingleAsync(b => b.CourseId == course.Id && b.Kind == Web.Courses.BoardKind.Free));
        Assert.Equal((2, 2), (row.PostCount, row.PublicPostCount));
        await host.WithDbAsync(db => db.Boards.Where(b => b.CourseId == course.Id).ExecuteDeleteAsync());
        await Expect(member: 2, author: 2, educator: 2);
        var rebuilt = await host.WithDbAsync(db => db.Boards.SingleAsync(b => b.CourseId == course.Id && b.Kind == Web.Courses.BoardKind.Free));
        Assert.Equal((2, 2), (rebuilt.PostCount, rebuilt.PublicPostCount));
    }
}

public sealed class SqliteBoardTests(SqliteHost host) : BoardTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresBoardTests(PostgresHost host) : BoardTests(host), IClassFixture<PostgresHost>;
