using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Refuses a query string that holds a NUL character (<c>%00</c>) with a 400 <c>validation</c> naming the parameter,
/// before any endpoint or page runs. PostgreSQL's text cannot hold U+0000: a search for one (the staff client list,
/// the API's <c>?search=</c>) reached the query and answered 500. The JSON bodies' half of this is
/// <see cref="TextWithoutNulConverter"/>.
/// A page (<paramref name="answersAsPage"/>: the portal's and the staff's) gets a bare 400 instead, which the status code
/// pages show as the HTML error page, with the refusal in <see cref="PageDetailKey"/> for it to say; its re-execution
/// (which keeps the query) is let through.
/// </summary>
public sealed class QueryWithoutNulMiddleware(RequestDelegate next, Func<PathString, bool> answersAsPage)
{
    /// <summary>The <see cref="HttpContext.Items"/> key of a plain sentence the HTML error page shows.</summary>
    public const string PageDetailKey = "booking.error-page-detail";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null
            && context.Request.QueryString.HasValue && context.Request.QueryString.Value!.Contains("%00", StringComparison.Ordinal))
        {
            foreach (var (name, values) in context.Request.Query)
            {
                var hasNul = name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal));
                if (hasNul && answersAsPage(context.Request.Path))
                {
                    context.Items[PageDetailKey] = "The link holds a NUL character (%00), which no page can use. Check the link and try again.";
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return Task.CompletedTask;
                }

                if (name.Contains('\0', StringComparison.Ordinal))
                {
                    throw ProblemException.Invalid("query", TextWithNulException.Refusal); // a name with a NUL is not worth echoing
                }

                if (values.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal)))
                {
                    throw ProblemException.Invalid(name, TextWithNulException.Refusal);
                }
            }
        }

        return next(context);
    }
}
