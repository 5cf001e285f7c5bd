using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The staff pages used before signing in (sign-in, forgot password, reset password): the business comes from
/// <c>?name=</c>, as on the API's sign-in routes. Missing, malformed or unknown: the page says so instead of a form.
/// </summary>
public abstract class StaffEntryPageModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender) : PageModel
{
    protected ISender Sender { get; } = sender;

    public TenantInfo? Business { get; private set; }

    /// <summary>Set when ?name= is missing (empty), malformed or unknown.</summary>
    public string? NameProblem { get; private set; }

    /// <summary>This business's address of a staff page (the slug escaped, as in the emailed link).</summary>
    public string StaffUrl(string path) => Business is { } business ? $"{path}?name={Uri.EscapeDataString(business.Slug)}" : path;

    protected async Task<bool> ResolveAsync(CancellationToken ct)
    {
        switch (await resolver.FromQueryAsync(Request.Query, ct))
        {
            case TenantLookup.Found found:
                Business = found.Tenant;
                tenantContext.Set(found.Tenant);
                return true;
            case TenantLookup.Missing:
                NameProblem = "";
                return false;
            case TenantLookup.Malformed malformed:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                NameProblem = malformed.Message;
                return false;
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                NameProblem = "We could not find a business with that name.";
                return false;
        }
    }
}
