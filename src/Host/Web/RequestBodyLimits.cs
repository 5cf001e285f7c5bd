using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Http.Metadata;

namespace Booking.Host.Web;

/// <summary>
/// How large a request body may be (decision 298). Kestrel's default of 30 MB let a JSON call of many MB be read,
/// parsed and validated; now every route takes at most <see cref="Default"/> unless its endpoint says otherwise with
/// <c>[RequestSizeLimit]</c> / <c>.WithMetadata(new RequestSizeLimitAttribute(…))</c> (<see cref="IRequestSizeLimitMetadata"/>),
/// which the routing middleware applies to Kestrel per request. The largest legitimate JSON body (a template of 20,000
/// characters, each escaped as <c>\u003C</c>) is about 120 KB; the logo upload is the one route that needs more.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>Operators may change the default (bytes); the per-route limits stay as declared.</summary>
    public const string Key = "Limits:MaxRequestBodyBytes";

    /// <summary>1 MB: every JSON route and every page form.</summary>
    public const long Default = 1024 * 1024;

    /// <summary>The default limit, from configuration or <see cref="Default"/>.</summary>
    public static long Configured(IConfiguration configuration) =>
        configuration.GetValue<long?>(Key) is long bytes && bytes > 0 ? bytes : Default;

    /// <summary>
    /// The limit of this request's endpoint: its <see cref="IRequestSizeLimitMetadata"/> (null there: none), else the
    /// configured default. Kestrel enforces the same limit while the body is read (chunked bodies included).
    /// </summary>
    public static long? For(HttpContext context, long configured) =>
        HandlerLimit(context) is { } handler ? handler : For((IEnumerable<object>?)context.GetEndpoint()?.Metadata ?? [], configured);

    /// <summary>
    /// The limit an endpoint with this metadata takes (the last <see cref="IRequestSizeLimitMetadata"/>, as routing
    /// reads it; the logo upload's is <c>UploadLogo.MaxRequestBytes</c>), else the configured default: the request's
    /// limit and the one the OpenAPI document states (<see cref="RequestShapeAnswers"/>) come from here alike.
    /// </summary>
    public static long? For(IEnumerable<object> metadata, long configured) =>
        metadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault() is { } limit ? limit.MaxRequestBodySize : configured;

    /// <summary>
    /// The limit of the page handler this request posts to (<see cref="HandlerBodyLimitAttribute"/>), null when the page
    /// gives its handler none. A Razor page is one endpoint for all its handlers, so <c>[RequestSizeLimit]</c> on it
    /// would lift the limit for every form of the page; the handler is chosen by <c>?handler=</c> (or the route's
    /// <c>handler</c> value), ignoring case, as Razor Pages chooses it.
    /// </summary>
    public static long? HandlerLimit(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method))
        {
            return null;
        }

        var limits = context.GetEndpoint()?.Metadata.GetOrderedMetadata<HandlerBodyLimitAttribute>();
        if (limits is not { Count: > 0 })
        {
            return null;
        }

        var handler = context.Request.RouteValues["handler"]?.ToString() is { Length: > 0 } routed ? routed : context.Request.Query["handler"].ToString();
        return limits.FirstOrDefault(l => string.Equals(l.Handler, handler, StringComparison.OrdinalIgnoreCase))?.Bytes;
    }

    /// <summary>What the HTML error page says of a form refused for its size.</summary>
    public static string PageDetail(long? bytes) =>
        $"The form was larger than {(bytes is { } b ? ProblemWriter.Words(b) : "this page takes")}, far more than any box takes, so it was not read and nothing was saved. Go back, shorten the text (or choose a smaller file) and try again.";
}

/// <summary>
/// One page handler's body limit over the default (decision 309): on a page model, <c>[HandlerBodyLimit("Logo", 8 MB)]</c>
/// lets <c>OnPostLogoAsync</c> take that much while every other handler of the page keeps the default (decision 298).
/// The body-limit middleware applies it to the server for the request.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HandlerBodyLimitAttribute(string handler, long bytes) : Attribute
{
    public string Handler { get; } = handler;

    public long Bytes { get; } = bytes;
}

/// <summary>
/// Refuses a body whose declared length (<c>Content-Length</c>) is over the endpoint's limit before anything reads it:
/// the API answers 413 <c>content-too-large</c> problem details naming the limit, a page (/ol, /staff) the HTML error
/// page with a sentence. After routing, so the endpoint's own limit is known. A body without a length (chunked) is cut
/// off by Kestrel at the same limit while it is read; that 413 is worded by the status code pages and the exception
/// handler alike (<see cref="ProblemWriter.ContentTooLarge"/>).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IConfiguration configuration)
{
    private readonly long configured = RequestBodyLimits.Configured(configuration);

    public Task InvokeAsync(HttpContext context)
    {
        if (RequestBodyLimits.HandlerLimit(context) is { } handlerLimit
            && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } handlerServer)
        {
            handlerServer.MaxRequestBodySize = handlerLimit; // this handler's own limit, for Kestrel while the body is read
        }

        if (context.Request.ContentLength is { } length
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null
            && RequestBodyLimits.For(context, configured) is { } limit && length > limit)
        {
            // Kestrel drains an unread body after the answer (for at most a few seconds) so the client, still sending,
            // reads the 413 instead of a reset connection; at the limit it would cut the connection instead. Draining
            // costs bandwidth the client spends anyway, and nothing parses it.
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
            {
                server.MaxRequestBodySize = null;
            }

            if (ApiErrorsOnly.IsPage(context.Request.Path))
            {
                context.Items[QueryWithoutNulMiddleware.PageDetailKey] = RequestBodyLimits.PageDetail(limit);
                context.Response.StatusCode = StatusCodes.Status413RequestEntityTooLarge;
                return Task.CompletedTask;
            }

            throw ProblemWriter.ContentTooLargeException(limit);
        }

        return next(context);
    }
}
