using System.Text;
using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Refuses an API body sent as JSON in a <c>charset</c> .NET cannot read (<c>application/json; charset=bogus</c>,
/// <c>utf-7</c>) with 415 <c>unsupported-media-type</c>, as any other body the JSON routes cannot read, before anything
/// reads it. The framework's JSON reader threw <see cref="InvalidOperationException"/> for it ("… is not a known
/// encoding"), which answered 500 and logged a stack. Central, so every JSON route (anonymous ones included) is covered;
/// a charset .NET knows (utf-8, utf-16, iso-8859-1 …) is read as before. Decision 309.
/// </summary>
public sealed class JsonCharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api")
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false
            && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.Charset.HasValue
            && IsJson(type)
            && !Known(type.Charset.Value!))
        {
            var charset = type.Charset.Value!.Trim('"');
            var problem = ProblemWriter.Create(ProblemKinds.UnsupportedMediaType, StatusCodes.Status415UnsupportedMediaType,
                "Unsupported media type",
                $"The charset \"{(charset.Length > 40 ? charset[..40] + "…" : charset)}\" is not one this API reads, so nothing was read or changed. Send the body as application/json in UTF-8.");
            return ProblemWriter.WriteAsync(context, problem);
        }

        return next(context);
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Whether the JSON reader can decode it: the test it makes itself (<c>Encoding.GetEncoding</c>).</summary>
    public static bool Known(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
