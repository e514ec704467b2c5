using System.Net;
using Classcloud.Web.Tests.Infrastructure;

namespace Classcloud.Web.Tests.Pages;

public abstract class PublicPagesTests(ClasscloudHost host)
{
    [Theory]
    [InlineData("/signin", "로그인 상태 유지")]
    [InlineData("/signup", "교육자 계정은 관리자의 승인을 받은 후에 강좌를 만들 수 있습니다.")]
    [InlineData("/signup/check-mail", "메일을 확인해 주세요")]
    [InlineData("/verify", "이메일 주소 인증")]
    [InlineData("/verify?token=abc", "이메일 주소 인증하기")]
    [InlineData("/forgot-id", "아이디 찾기")]
    [InlineData("/forgot-password", "비밀번호 재설정")]
    [InlineData("/reset-password?token=abc", "새 비밀번호 확인")]
    [InlineData("/account-deleted", "계정이 삭제되었습니다")]
    public async Task Public_page_answers_200_in_Korean(string path, string korean)
    {
        var response = await host.NewClient().SendAsync(PageForms.Korean("GET", path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"ko\">", html, StringComparison.Ordinal);
        Assert.Contains(korean, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_page_is_a_friendly_404_page_but_the_api_keeps_problem_details()
    {
        var client = host.NewClient();
        var page = await client.SendAsync(PageForms.Korean("GET", "/no-such-page"));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("페이지를 찾을 수 없습니다", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var api = await client.GetAsync("/api/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_form_post_without_antiforgery_token_is_refused_with_the_error_page_and_nothing_is_stored()
    {
        var email = TestAccounts.NewEmail("noforgery");
        var response = await host.NewClient().PostAsync("/signup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = TestAccounts.Password, ["Name"] = "Name", ["Nickname"] = "nick", ["Role"] = "student",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"error-page\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await host.UserExistsAsync(email));
    }

    [Fact]
    public async Task Signed_in_student_sees_the_denied_page_with_403()
    {
        var student = await host.UserAsync(TestRole.Student);
        var response = await student.Client.SendAsync(PageForms.Korean("GET", "/denied"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("접근 권한이 없습니다", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class SqlitePublicPagesTests(SqliteHost host) : PublicPagesTests(host), IClassFixture<SqliteHost>;

public sealed class PostgresPublicPagesTests(PostgresHost host) : PublicPagesTests(host), IClassFixture<PostgresHost>;
