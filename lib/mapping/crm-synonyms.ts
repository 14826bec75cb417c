/**
 * Vocabulary for auto-mapping CRM columns. Names are compared in "compact" form:
 * camelCase split, lowercased, abbreviations expanded, separators removed
 * (email_addr → emailaddress, createdDt → createddate).
 */

/** Abbreviations common in legacy CRM schemas, expanded token by token. */
export const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    nm: 'name',
    addr: 'address',
    adr: 'address',
    dt: 'date',
    no: 'number',
    num: 'number',
    nbr: 'number',
    fname: 'firstname',
    lname: 'lastname',
    tel: 'telephone',
    ph: 'phone',
    desc: 'description',
    qty: 'quantity',
    amt: 'amount',
    cd: 'code',
    ctry: 'country',
    cntry: 'country',
    org: 'organization',
    dob: 'birthdate',
    upd: 'updated',
    mod: 'modified',
    crt: 'created',
    cre: 'created',
    zip: 'postalcode',
    postcode: 'postalcode',
  }),
);

/** Leading tokens naming the entity itself ("cust_email" is just "email"). */
export const ENTITY_PREFIXES: ReadonlySet<string> = new Set(['cust', 'customer', 'contact', 'client', 'person', 'crm', 'tbl', 'fld', 'col']);

/** Leading tokens of a target column that keeps the old system's id (legacy_id, external_ref). */
export const LEGACY_PREFIXES: ReadonlySet<string> = new Set(['legacy', 'external', 'ext', 'old', 'original', 'orig', 'previous', 'prev']);

/** What follows such a prefix when the column holds a key (compact form: no → number, cd → code). */
export const KEY_WORDS: ReadonlySet<string> = new Set(['id', 'key', 'ref', 'reference', 'number', 'code', 'identifier', 'uuid']);

/** Concepts and the compact names that mean them; a name belongs to at most one concept. */
const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  id: ['id', 'custid', 'customerid', 'contactid', 'clientid', 'personid', 'recordid', 'custnumber', 'customernumber'],
  email: ['email', 'emailaddress', 'mail', 'mailaddress', 'emailaddr', 'primaryemail', 'emailid'],
  firstname: ['firstname', 'givenname', 'forename', 'first'],
  lastname: ['lastname', 'surname', 'familyname', 'last'],
  fullname: ['fullname', 'name', 'displayname', 'contactname', 'customername'],
  phone: ['phone', 'phonenumber', 'telephone', 'telephonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone'],
  created: [
    'created', 'createdat', 'createddate', 'datecreated', 'createdon', 'createdate', 'creationdate', 'createdtime',
    'createtime', 'opened', 'openedat', 'opendate', 'openeddate', 'insertedat',
    // When an order (a deal, a purchase) was placed is when its record began.
    'orderdate', 'orderedat', 'ordereddate', 'orderedon', 'placedat', 'purchasedate', 'purchasedat', 'dealdate',
  ],
  updated: [
    'updated', 'updatedat', 'updateddate', 'lastmodified', 'lastmodifieddate', 'modified', 'modifiedat', 'modifieddate',
    'modifiedon', 'datemodified', 'lastupdated', 'lastupdate', 'updatedate', 'updatedon', 'changedat',
  ],
  company: ['company', 'companyname', 'organization', 'organisation', 'organizationname', 'employer', 'accountname'],
  country: ['country', 'countrycode', 'countryname', 'countryiso'],
  status: ['status', 'statuscode', 'contactstatus', 'customerstatus', 'lifecyclestatus'],
  postalcode: ['postalcode', 'postal', 'zipcode'],
  birthdate: ['birthdate', 'dateofbirth', 'birthday'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks', 'description'],
  amount: ['amount', 'totalamount', 'total', 'ordertotal', 'orderamount', 'grandtotal', 'dealamount', 'dealvalue', 'totalvalue'],
  /** A business number of the record (order_no), the usual key of legacy order tables. */
  number: ['number', 'ordernumber', 'dealnumber', 'invoicenumber', 'referencenumber', 'refnumber'],
};

/** Pairs that often, but not always, mean the same (state may be a region). */
export const WEAK_SYNONYMS: readonly (readonly [string, string])[] = [
  ['status', 'state'],
  // An order's status becomes a deal's stage (through a value map).
  ['status', 'stage'],
  ['state', 'stage'],
];

export const CONCEPT_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(CONCEPTS).flatMap(([concept, names]) => names.map((name) => [name, concept] as const)),
);
