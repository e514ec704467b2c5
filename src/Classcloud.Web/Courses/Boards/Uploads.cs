using Classcloud.Web.Hosting;
using Classcloud.Web.Localization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;

namespace Classcloud.Web.Courses;

/// <summary>
/// Reads one file from a multipart form by hand, so each route sets its own size limit before a
/// byte is buffered (the JSON body cap in RequestBodyLimitMiddleware leaves forms to their routes).
/// </summary>
internal static class Uploads
{
    /// <summary>Room for the multipart boundaries and headers around the file.</summary>
    const long Envelope = 64 * 1024;

    public static async Task<Outcome<IFormFile>> ReadAsync(HttpRequest request, long maxBytes, IStringLocalizer<SharedResource> t, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return new Problem(StatusCodes.Status415UnsupportedMediaType, "Send the file as multipart/form-data in the form field 'file'.");
        }
        if (request.ContentLength > maxBytes + Envelope)
        {
            return TooLarge(maxBytes, t);
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes + Envelope;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return Problem.BadRequest("The upload is not a well-formed multipart form.");
        }
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return Problem.BadRequest("Attach the file in the form field 'file'.");
        }
        return file.Length > maxBytes ? TooLarge(maxBytes, t) : new Outcome<IFormFile>(file, null);
    }

    static Problem TooLarge(long maxBytes, IStringLocalizer<SharedResource> t) =>
        new(StatusCodes.Status413PayloadTooLarge, t["The file is larger than the limit of {0} KB.", maxBytes / 1024]);
}
