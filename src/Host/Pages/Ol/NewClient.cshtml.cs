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

    /// <summary>No verified phone in this browser: start at the phone page.</summary>
    public bool NoTicket { get; private set; }

    public void OnGet() => NoTicket = ticket.Read(HttpContext, Business.Id) is null;

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
        var pets = Settings.BooksForPets
            ? new List<NewPet> { new(Input.PetName, Input.PetSpecies, Input.PetBreed, Input.PetNotes) }
            : [];
        try
        {
            var client = await Sender.Send(new NewClient(Input.FirstName, Input.LastName, Input.Email, pets) { AttemptId = attempt }, cancellationToken);
            NewClientTicket.Clear(HttpContext);
            await PortalSessions.SignInAsync(HttpContext, Business.Id, client.Id, awaitingFirstRequest: true);
            return Redirect(Settings.AccessLevels.Book ? PortalUrl("/ol/new-booking", ("welcome", "1")) : Home());
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
    }
}
