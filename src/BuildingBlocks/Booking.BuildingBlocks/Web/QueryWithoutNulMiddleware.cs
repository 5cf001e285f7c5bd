using Booking.BuildingBlocks.Problems;
using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

/// <summary>
/// Refuses a query string that holds a NUL character (<c>%00</c>) with a 400 <c>validation</c> naming the parameter,
/// before any endpoint or page runs. PostgreSQL's text cannot hold U+0000: a search for one (the staff client list,
/// the API's <c>?search=</c>) reached the query and answered 500. The JSON bodies' half of this is
/// <see cref="TextWithoutNulConverter"/>.
/// </summary>
public sealed class QueryWithoutNulMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue && context.Request.QueryString.Value!.Contains("%00", StringComparison.Ordinal))
        {
            foreach (var (name, values) in context.Request.Query)
            {
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
