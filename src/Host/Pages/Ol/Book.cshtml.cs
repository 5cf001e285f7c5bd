using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Booking.Host.Pages.Ol;

/// <summary>The booking URL a business shares: /ol/book?name=&lt;slug&gt;. There is no separate portal link.</summary>
public sealed class BookModel(TenantResolver resolver, ITenantContext tenantContext, ISender sender) : PageModel
{
    public TenantInfo? Business { get; private set; }

    public string Title { get; private set; } = "";

    public string Message { get; private set; } = "";

    /// <summary>The business switched its portal off: a clear page, not an error.</summary>
    public bool PortalOff { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        switch (await resolver.FromQueryAsync(Request.Query, cancellationToken))
        {
            case TenantLookup.Found found:
                Business = found.Tenant;
                Title = found.Tenant.Name;
                tenantContext.Set(found.Tenant);
                PortalOff = !(await sender.Send(new GetPortalSettings(), cancellationToken)).Enabled;
                break;
            case TenantLookup.Malformed malformed:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Title = "This booking link is not valid";
                Message = malformed.Message + " Check the link the business gave you.";
                break;
            case TenantLookup.Missing:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                Title = "This booking link is incomplete";
                Message = "The link should end with ?name= and the business's name. Check the link the business gave you.";
                break;
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                Title = "Business not found";
                Message = "We could not find a business with that name. Check the link the business gave you.";
                break;
        }
    }
}
