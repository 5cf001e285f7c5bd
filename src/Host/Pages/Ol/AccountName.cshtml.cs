using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/name: the signed-in client changes their first and last name (ChangeMyName, as PUT
/// /api/v1/portal/me/name; registration's rules), then back to Your details, which says so once.
/// </summary>
public sealed class AccountNameModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty]
    public NameInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var me = await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);
        Input = new NameInput { FirstName = me.FirstName, LastName = me.LastName };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Sender.Send(new ChangeMyName(Input.FirstName, Input.LastName) { ClientId = ClientId!.Value }, cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, ClientId!.Value, AccountModel.NameChanged);
            return Redirect(PortalUrl("/ol/account"));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            return Page();
        }
    }

    public sealed class NameInput
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }
    }
}
