ALTER TABLE "contacts" DROP CONSTRAINT "contacts_company_id_companies_id_fk";
