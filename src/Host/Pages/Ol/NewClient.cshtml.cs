using Booking.Host.Web;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>After a verified unknown phone: the client's details (and a pet where the business books for pets).</summary>
public sealed class NewClientModel(NewClientTicket ticket) : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override bool ForNewClients => true;

    [BindProperty]
    public NewClientInput Input { get; set; } = new();

    /// <summary>
    /// Where the visitor was going before signing in by phone (the confirm page of the time they chose): followed after
    /// the details are saved, so the first booking request is for that time. Only this business's portal pages.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>No verified phone in this browser: start at the phone page.</summary>
    public bool NoTicket { get; private set; }

    /// <summary>
    /// The masked email of a client who typed this mobile at email registration without proving it (most likely the
    /// person here): the page says so and offers to sign in there; going on as a new client needs <see cref="NewClientInput.NotThatAccount"/>.
    /// </summary>
    public string? ClaimedByEmail { get; private set; }

    /// <summary>The time the visitor chose (its confirm page), when the return address passes <see cref="PortalReturnUrl"/>.</summary>
    public string? ChosenTime => ReturnTo(ReturnUrl);

    /// <summary>
    /// "Sign in with your email": back to the time the visitor chose when there is one (the mobile can be proven under
    /// Your details later), else on to proving the mobile there.
    /// </summary>
    public string SignInWithEmailUrl => PortalUrl("/ol/sign-in", ("returnUrl", ChosenTime ?? PortalUrl("/ol/account/mobile")));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var attempt = ticket.Read(HttpContext, Business.Id);
        NoTicket = attempt is null;
        await ReadBookabilityAsync(cancellationToken);
        ClaimedByEmail = attempt is null ? null : await Sender.Send(new GetNewClientClaim(attempt), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var attempt = ticket.Read(HttpContext, Business.Id);
        if (attempt is null)
        {
            NoTicket = true;
            return Page();
        }

        // Where the business books for pets the pet is sent as typed, blank name and all: the command says what is missing,
        // with the other fields' errors.
        ClaimedByEmail = await Sender.Send(new GetNewClientClaim(attempt), cancellationToken);
        await ReadBookabilityAsync(cancellationToken);
        var pets = Settings.BooksForPets
            ? new List<NewPet> { new(Input.PetName, Input.PetSpecies, Input.PetBreed, Input.PetNotes) }
            : [];
        try
        {
            var client = await Sender.Send(new NewClient(Input.FirstName, Input.LastName, Input.Email, pets, Input.NotThatAccount) { AttemptId = attempt }, cancellationToken);
            NewClientTicket.Clear(HttpContext);
            // Nothing bookable now: the first-request limit does not hold (FirstRequestOwed), so the landing page, which
            // says booking isn't open and offers what the client may do, is the place to go.
            await PortalSessions.SignInAsync(HttpContext, Business.Id, client.Id, awaitingFirstRequest: !NothingToBook, hasPassword: false, PortalSessions.ByPhone);
            return Redirect(NothingToBook ? Home() : ReturnTo(ReturnUrl) ?? PortalUrl("/ol/new-booking", ("welcome", "1")));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, PetField))
        {
            return Page();
        }
    }

    /// <summary>"pets[0].name" → "Input.PetName"; the page offers one pet.</summary>
    private static string PetField(string field) => field.StartsWith("pets[0].", StringComparison.Ordinal)
        ? "Input.Pet" + char.ToUpperInvariant(field[8]) + field[9..]
        : field.StartsWith("pets", StringComparison.Ordinal) ? "Input.PetName" : PageProblems.DefaultInputName(field);

    public sealed class NewClientInput
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        public string? PetName { get; set; }

        public string? PetSpecies { get; set; }

        public string? PetBreed { get; set; }

        public string? PetNotes { get; set; }

        /// <summary>"That account is not mine": shown only when the number is another client's unproven claim.</summary>
        public bool NotThatAccount { get; set; }
    }
}
