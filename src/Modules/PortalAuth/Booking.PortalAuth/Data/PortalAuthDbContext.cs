using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Domain;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Data;

public sealed class PortalAuthDbContext(DbContextOptions<PortalAuthDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "portalauth";

    /// <summary>The unique indexes that keep one client per email address and per mobile in a business.</summary>
    public const string ClientEmailIndex = "ix_clients_tenant_id_email", ClientMobileIndex = "ix_clients_tenant_id_mobile";

    /// <summary>
    /// The unique index on (tenant_id, client_id, lower(name)) of pets on file (migration <c>UniquePetNames</c>; SQL
    /// only, since EF cannot describe an index on an expression): a client's pets on file have names of their own, in any case.
    /// </summary>
    public const string PetNameIndex = "ux_pets_client_name_on_file";

    /// <summary>
    /// A client's names both ways round and email, one per line, each folded by <see cref="FoldSql"/> (no accents, lower
    /// case, no spacing or punctuation: "Mary-Jane O’Neill" is <c>maryjaneoneill</c>, then <c>oneillmaryjane</c>; migration
    /// <c>ClientSearchFoldsPunctuation</c>, before it <c>ClientSearch</c>): a stored generated column, so staff search
    /// compares the folded search text with a value worked out once per save rather than calling unaccent on every row it
    /// reads, and the duplicate hint compares its first two lines as they are (decision in AdminClients).
    /// </summary>
    public const string ClientSearchText = "SearchText";

    /// <summary>The search column's expression: <see cref="FoldSql"/> of each line, so a search folded alike finds it.</summary>
    internal static readonly string ClientSearchTextSql = string.Join(" || E'\\n' || ",
        Fold("first_name || ' ' || last_name"), Fold("last_name || ' ' || first_name"), Fold("coalesce(email, '')"));

    /// <summary>
    /// The one rule that says two names (or a search and a name) are alike: <c>unaccent</c>'s rules through the IMMUTABLE
    /// wrapper <c>portalauth.f_unaccent</c>, lower case, then spacing and the punctuation names are written with or
    /// without dropped: apostrophes (' ’ ‘; unaccent turns ʼ ‛ ′ into '), backticks, acute accents, dots, hyphens and
    /// dashes (decision 304). "obrien", "o brien" and "O’Brien" fold to <c>obrien</c>, "mary jane" and "Mary-Jane" to
    /// <c>maryjane</c>. <c>{0}</c>: the text. The search column (<see cref="ClientSearchText"/>), the search text
    /// (<c>AdminClients.FoldAsync</c>) and so the duplicate hint all use it.
    /// </summary>
    internal const string FoldSql = "regexp_replace(lower(portalauth.f_unaccent({0})), '[\\s''’‘`´.\\-‐‑–—]+', '', 'g')";

    private static string Fold(string sql) => FoldSql.Replace("{0}", sql, StringComparison.Ordinal);

    /// <summary>
    /// The business's clients in the order the staff list pages them (last name, first name, id): a page of clients,
    /// searched or not, reads the first rows of one business in order instead of sorting all of them.
    /// </summary>
    public const string ClientNameOrderIndex = "ix_clients_tenant_id_last_name_first_name_id";

    public override string Schema => SchemaName;

    public DbSet<Client> Clients => Set<Client>();

    public DbSet<Pet> Pets => Set<Pet>();

    public DbSet<PasswordResetToken> ResetTokens => Set<PasswordResetToken>();

    public DbSet<PasswordResetRequest> ResetRequests => Set<PasswordResetRequest>();

    public DbSet<SignInAttempt> Attempts => Set<SignInAttempt>();

    public DbSet<CodeSend> CodeSends => Set<CodeSend>();

    public DbSet<CodeBudgetHour> CodeBudget => Set<CodeBudgetHour>();

    public DbSet<DevSms> DevSms => Set<DevSms>();

    public DbSet<SentText> Texts => Set<SentText>();

    public DbSet<IpPasswordFailure> IpPasswordFailures => Set<IpPasswordFailure>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Client>(b =>
        {
            b.ToTable("clients");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.FirstName).HasMaxLength(100);
            b.Property(x => x.LastName).HasMaxLength(100);
            b.Property(x => x.Email).HasMaxLength(320);
            b.Property(x => x.Mobile).HasMaxLength(20);
            b.Property(x => x.OtherPhone).HasMaxLength(20);
            b.Property(x => x.Status).HasMaxLength(20);
            // Stays unique whether verified or not: registration refuses a mobile anyone holds, so two claims never
            // coexist, and the new-client flow takes an unverified claim over in the same save.
            b.HasIndex(x => new { x.TenantId, x.Email }).IsUnique().HasFilter("email IS NOT NULL").HasDatabaseName(ClientEmailIndex);
            b.HasIndex(x => new { x.TenantId, x.Mobile }).IsUnique().HasFilter("mobile IS NOT NULL").HasDatabaseName(ClientMobileIndex);
            b.ToTable(t => t.HasCheckConstraint("ck_clients_mobile_verified_has_mobile", "mobile IS NOT NULL OR NOT mobile_verified"));
            b.Property<string>(ClientSearchText).HasColumnName("search_text").HasComputedColumnSql(ClientSearchTextSql, stored: true);
            b.HasIndex(x => new { x.TenantId, x.LastName, x.FirstName, x.Id }).HasDatabaseName(ClientNameOrderIndex);
            b.HasMany(x => x.Pets).WithOne().HasForeignKey(p => new { p.TenantId, p.ClientId });
        });
        modelBuilder.Entity<Pet>(b =>
        {
            b.ToTable("pets");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Name).HasMaxLength(100);
            b.Property(x => x.Species).HasMaxLength(60);
            b.Property(x => x.Breed).HasMaxLength(100);
            b.Property(x => x.Notes).HasMaxLength(2000);
            // A removed pet stays for the appointments that name it; no other read sees it (decision: soft removal).
            b.Property(x => x.RemovedAt).IsConcurrencyToken();
            // A change or removal is saved only while the pet is still the client's it was read as (decision 307): a client
            // merge makes it the kept client's between the read and the save, and the write then runs again and is refused.
            b.Property(x => x.ClientId).IsConcurrencyToken();
            b.HasQueryFilter(Pet.OnFile, x => x.RemovedAt == null);
        });
        modelBuilder.Entity<PasswordResetToken>(b =>
        {
            b.ToTable("password_reset_tokens");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.SentTo).HasMaxLength(320);
            b.HasIndex(x => new { x.TenantId, x.TokenHash }).IsUnique();
            // A link is used once: its use is saved only while it is still unused (UPDATE … WHERE used_at IS NULL).
            b.Property(x => x.UsedAt).IsConcurrencyToken();
            b.HasOne<Client>().WithMany().HasForeignKey(x => new { x.TenantId, x.ClientId });
        });
        modelBuilder.Entity<PasswordResetRequest>(b =>
        {
            b.ToTable("password_reset_requests");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Email).HasMaxLength(320);
            b.Property(x => x.Ip).HasMaxLength(64);
            b.HasIndex(x => new { x.TenantId, x.Email, x.At });
            b.HasIndex(x => new { x.TenantId, x.Ip, x.At });
        });
        modelBuilder.Entity<SignInAttempt>(b =>
        {
            b.ToTable("sign_in_attempts");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Mobile).HasMaxLength(20);
            b.Property(x => x.Purpose).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<CodeSend>(b =>
        {
            b.ToTable("code_sends");
            b.HasKey(x => x.Id);
            b.Property(x => x.Mobile).HasMaxLength(20);
            b.Property(x => x.Ip).HasMaxLength(64);
            b.HasIndex(x => new { x.TenantId, x.Mobile, x.At });
            b.HasIndex(x => new { x.Mobile, x.At }); // a mobile's sends across every business (CodeIssuer, decision 166)
            b.HasIndex(x => new { x.Ip, x.At });
            b.HasIndex(x => new { x.TenantId, x.At });
        });
        modelBuilder.Entity<CodeBudgetHour>(b =>
        {
            b.ToTable("code_budget");
            b.HasKey(x => x.Hour);
        });
        modelBuilder.Entity<DevSms>(b =>
        {
            b.ToTable("dev_sms");
            b.HasKey(x => x.Id);
            b.Property(x => x.Tenant).HasMaxLength(63);
            b.Property(x => x.To).HasMaxLength(20);
            b.Property(x => x.Body).HasMaxLength(1600);
            b.HasIndex(x => new { x.To, x.SentAt });
        });
        modelBuilder.Entity<SentText>(b =>
        {
            b.ToTable("texts");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Kind).HasMaxLength(40);
            b.Property(x => x.To).HasMaxLength(20);
            b.Property(x => x.Status).HasMaxLength(20);
            b.Property(x => x.Body).HasMaxLength(1600);
            b.Property(x => x.Note).HasMaxLength(500);
            b.Property(x => x.LastError).HasMaxLength(1000);
            b.Property(x => x.CarrierId).HasMaxLength(64);
            b.HasIndex(x => new { x.TenantId, x.CreatedAt, x.Id }); // the log's keyset pages, newest first
            b.HasIndex(x => new { x.TenantId, x.EventId, x.Kind }).IsUnique().HasFilter("event_id IS NOT NULL"); // one per event and kind
            // An appointment's receipt text, read when a request's answer is judged (TextPromises, decision 340).
            b.HasIndex(x => new { x.TenantId, x.AppointmentId, x.Kind }).HasFilter("appointment_id IS NOT NULL");
        });
        PasswordFailure.Configure(modelBuilder.Entity<PasswordFailure>());
        modelBuilder.Entity<IpPasswordFailure>(b =>
        {
            b.ToTable("ip_password_failures");
            b.HasKey(x => x.Id);
            b.Property(x => x.Area).HasMaxLength(10);
            b.Property(x => x.Ip).HasMaxLength(64);
            b.HasIndex(x => new { x.Ip, x.Area, x.At }); // one address's failures in the window (PasswordSprayCap)
            b.HasIndex(x => x.At); // the hourly sweep's delete of old rows
        });
    }
}

internal sealed class PortalAuthDesignTimeFactory : ModuleDesignTimeFactory<PortalAuthDbContext>;
