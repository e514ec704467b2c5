using System.Net;
using System.Text.RegularExpressions;

namespace Classcloud.Web.Tests.Pages;

/// <summary>Posts page forms as a browser does: GET the page for its antiforgery token, then POST the fields.</summary>
public static partial class PageForms
{
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string page)
    {
        var response = await client.GetAsync(page);
        Assert.True(response.IsSuccessStatusCode, $"GET {page} answered {(int)response.StatusCode}");
        var match = TokenField().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, $"{page} has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Submits a form found on <paramref name="page"/> to <paramref name="action"/> (which may carry ?handler=…).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        var token = await client.AntiforgeryTokenAsync(page);
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token));
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    public static async Task<string> HtmlAsync(this HttpClient client, string page)
    {
        var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static HttpRequestMessage Korean(string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.AcceptLanguage.ParseAdd("ko-KR,ko;q=0.9");
        return request;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
