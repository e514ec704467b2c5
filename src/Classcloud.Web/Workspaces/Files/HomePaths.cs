using System.Text;
using Classcloud.Web.Hosting;

namespace Classcloud.Web.Workspaces.Files;

/// <summary>
/// Paths a person names inside a workspace's home: relative, with no <c>..</c>, no NUL or other control character,
/// segments of at most 255 bytes. They are checked here, before anything runs in the workspace, and passed to the
/// programs there as arguments (never through a shell's parsing), so a name is only ever a name.
/// </summary>
public static class HomePaths
{
    public const int MaxLength = 1024;

    const int MaxSegmentBytes = 255;

    /// <summary>
    /// The path normalized (<c>a//./b/</c> → <c>a/b</c>); "" is home itself, allowed only when <paramref name="homeAllowed"/>.
    /// </summary>
    public static Outcome<string> Parse(string? path, bool homeAllowed)
    {
        var text = path ?? "";
        if (text.Length > MaxLength)
        {
            return Problem.BadRequest("The path is longer than {0} characters.", MaxLength);
        }
        if (text.Any(char.IsControl))
        {
            return Problem.BadRequest("The path must not contain a NUL or another control character.");
        }
        if (text.StartsWith('/'))
        {
            return Problem.BadRequest("The path must be relative to your home folder, not absolute: {0}", text);
        }
        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Contains(".."))
        {
            return Problem.BadRequest("The path must stay inside your home folder: '..' is not allowed ({0}).", text);
        }
        if (segments.Any(s => Encoding.UTF8.GetByteCount(s) > MaxSegmentBytes))
        {
            return Problem.BadRequest("A name in the path is longer than {0} bytes.", MaxSegmentBytes);
        }
        if (segments.Count == 0 && !homeAllowed)
        {
            return Problem.BadRequest("Name a file or folder in your home folder.");
        }
        return string.Join('/', segments);
    }

    /// <summary>The absolute path in the workspace of a checked relative one ("" is home).</summary>
    public static string InHome(string home, string relative) => relative.Length == 0 ? home : $"{home.TrimEnd('/')}/{relative}";
}
