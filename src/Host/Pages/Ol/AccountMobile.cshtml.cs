using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/mobile: step 1 of proving a mobile from Your details (StartMyMobileProof, as POST
/// /api/v1/portal/me/mobile/start): the number, then a code to it. Only where the business offers phone sign-in.
/// A client whose mobile is verified replaces it only after proving it is them (decision 237): with their current
/// password, or, without one, a code texted first to the current mobile ("Text my current mobile a code",
/// SendMyCurrentMobileCode as POST /api/v1/portal/me/mobile/current-code), typed with the new number. A client who lost
/// the old phone is told to ask the business, whose staff can change it.
/// </summary>
public sealed class AccountMobileModel(TimeProvider clock, Booking.PortalAuth.Domain.PortalAuthOptions options) : PortalPageModel, IOwnMobileCodeForm
{
    protected override bool RequiresClient => true;

    protected override string? SignInMethod => "phone";

    [BindProperty]
    public MobileInput Input { get; set; } = new();

    /// <summary>The attempt of the code texted to the current mobile (a hidden field once it was sent).</summary>
    [BindProperty]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code to the current mobile may be asked for.</summary>
    [BindProperty]
    public long? ResendAt { get; set; }

    /// <summary>The client's verified mobile, masked as the code pages write it; null when they have none (a first mobile: no proof asked).</summary>
    public string? CurrentMasked { get; private set; }

    /// <summary>Whether replacing the mobile asks for the current password (the client has one); else for a code to the current mobile.</summary>
    public bool HasPassword { get; private set; }

    public bool Replacing => CurrentMasked is not null;

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long the code works, as its text says it (<see cref="Booking.PortalAuth.Domain.PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    /// <summary>
    /// The box starts empty: a mobile typed at registration is kept only when no other client had it, so offering it here
    /// would tell whether the number was on file (the client types it again; its code then decides).
    /// </summary>
    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        try
        {
            var sent = await Sender.Send(new StartMyMobileProof(Input.Mobile,
                Replacing && HasPassword ? Input.CurrentPassword : null,
                Replacing && !HasPassword ? Attempt : null,
                Replacing && !HasPassword ? Input.Code : null)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
                Ip = HttpContext.ClientIp(),
            }, cancellationToken);
            return Redirect(AccountMobileCodeModel.CodeUrl(this, sent, clock));
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            // The API's names for the current mobile's code and attempt are this form's code box and the page itself.
            MoveErrors("Input.CurrentMobileCode", "Input.Code");
            MoveErrors("Input.CurrentMobileAttemptId", "", message => message.Contains("/api/", StringComparison.Ordinal) ? AskForCurrentCodeFirst : message);
            if (dead)
            {
                Attempt = null; // the page offers a new code to the current mobile
            }
        }

        ForgetSecrets(); // never echo a password back into the page
        return Page();
    }

    /// <summary>"Text my current mobile a code" (and "Send a new code"): the new number typed stays in the box.</summary>
    public Task<IActionResult> OnPostCurrentAsync(CancellationToken cancellationToken) =>
        OwnMobileCodeForm.SendAsync(this, Sender, new SendMyCurrentMobileCode { ClientId = ClientId!.Value, Ip = HttpContext.ClientIp() }, ReadAsync, clock,
            cancellationToken);

    public void ForgetSecrets()
    {
        Input.CurrentPassword = null;
        Input.Code = null;
    }

    /// <summary>
    /// The page's words where the API says to ask for a code to the current mobile first (its message names the API's
    /// route, which means nothing to a person): a post without the code's attempt, such as one not from this page's form.
    /// </summary>
    public const string AskForCurrentCodeFirst =
        "To change your verified mobile, first choose “Text my current mobile a code”, then type the code we text you with your new number.";

    private void MoveErrors(string from, string to, Func<string, string>? reword = null)
    {
        if (ModelState.TryGetValue(from, out var entry))
        {
            var messages = entry.Errors.Select(e => reword is null ? e.ErrorMessage : reword(e.ErrorMessage)).ToList();
            ModelState.Remove(from);
            foreach (var message in messages)
            {
                ModelState.AddModelError(to, message);
            }
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var me = await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);
        CurrentMasked = me.Mobile is null ? null : Booking.BuildingBlocks.Phones.PhoneDisplay.Mask(me.Mobile, Business.CountryCode); // GetPortalMe shows a verified mobile only
        HasPassword = CurrentMasked is not null && await Sender.Send(new ClientHasPassword(ClientId!.Value), cancellationToken);
    }

    public sealed class MobileInput
    {
        public string? Mobile { get; set; }

        public string? CurrentPassword { get; set; }

        /// <summary>The code texted to the current mobile.</summary>
        public string? Code { get; set; }
    }
}
