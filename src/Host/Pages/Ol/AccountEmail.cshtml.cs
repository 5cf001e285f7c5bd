using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/email: the signed-in client asks to change their email, or to add one (StartMyEmailChange, as POST
/// /api/v1/portal/me/email/start): the new address, and the current password when they have one. The page then says
/// where the link went; nothing changes until it is opened (/ol/account/email/confirm).
/// </summary>
public sealed class AccountEmailModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty]
    public EmailInput Input { get; set; } = new();

    public string? CurrentEmail { get; private set; }

    /// <summary>Whether the form asks for the current password (the client has one).</summary>
    public bool HasPassword { get; private set; }

    /// <summary>Set once the link is on its way.</summary>
    public EmailChangeSent? Sent { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        try
        {
            Sent = await Sender.Send(new StartMyEmailChange(Input.Email, Input.CurrentPassword)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
                Ip = HttpContext.ClientIp(),
            }, cancellationToken);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
        }

        Input.CurrentPassword = null; // never echo a password back into the page
        return Page();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var me = await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);
        CurrentEmail = me.Email;
        HasPassword = await Sender.Send(new ClientHasPassword(ClientId!.Value), cancellationToken); // even where email sign-in is off: the API asks for it then too
    }

    public sealed class EmailInput
    {
        public string? Email { get; set; }

        public string? CurrentPassword { get; set; }
    }
}
