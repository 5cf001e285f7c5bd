using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>/staff/clients?search=&amp;cursor=: the business's clients by name (ListAdminClients, as GET /api/v1/admin/clients).</summary>
public sealed class IndexModel(ISender sender) : StaffPageModel
{

    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "search")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public AdminClientPage Found { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Found = await sender.Send(new ListAdminClients(Search, PageSize, Cursor), ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "search" ? "search" : string.Empty))
        {
        }
    }
}
