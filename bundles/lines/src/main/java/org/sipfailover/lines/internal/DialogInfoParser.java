// SPDX-License-Identifier: Apache-2.0
package org.sipfailover.lines.internal;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.sipfailover.api.line.DialogInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads an {@code application/dialog-info+xml} body (RFC 4235 §4) into the {@link DialogInfo} a busy lamp shows.
 *
 * <p>The body comes from the network: DTDs are refused outright, so no entity, external or internal, is ever
 * expanded; callers bound its size.
 */
final class DialogInfoParser {

    static final String NAMESPACE = "urn:ietf:params:xml:ns:dialog-info";

    private DialogInfoParser() {}

    /**
     * Parses a body.
     *
     * @throws IllegalArgumentException naming what is wrong: not well-formed XML, a DTD, not a
     *     {@code dialog-info} document, a missing or bad {@code entity}, {@code version} or {@code state}
     */
    static DialogInfo parse(String body) {
        Document doc;
        try {
            doc = builder().parse(new InputSource(new StringReader(body)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!"dialog-info".equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
            throw new IllegalArgumentException("not a dialog-info document: " + root.getTagName());
        }
        String entity = root.getAttribute("entity");
        if (entity.isBlank()) {
            throw new IllegalArgumentException("no entity");
        }
        long version;
        try {
            version = Long.parseLong(root.getAttribute("version").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad version: " + root.getAttribute("version"));
        }
        if (version < 0) {
            throw new IllegalArgumentException("negative version: " + version);
        }
        String state = root.getAttribute("state").strip();
        if (!state.equals("full") && !state.equals("partial")) {
            throw new IllegalArgumentException("state is neither full nor partial: " + state);
        }
        return new DialogInfo(entity.strip(), lamp(root), version, state.equals("full"));
    }

    /**
     * A ringing dialog wins over a busy one, as on a phone's BLF key: a call that can be picked up is what the
     * lamp is for.
     */
    private static DialogInfo.Lamp lamp(Element root) {
        boolean busy = false;
        NodeList dialogs = root.getElementsByTagNameNS(NAMESPACE, "dialog");
        for (int i = 0; i < dialogs.getLength(); i++) {
            Element dialog = (Element) dialogs.item(i);
            String state = stateOf(dialog);
            switch (state) {
                case "terminated" -> {}
                case "confirmed" -> busy = true;
                case "trying", "proceeding", "early" -> {
                    // RFC 4235 §4.1.2: direction says whether the entity called ("initiator") or is called
                    if ("recipient".equals(dialog.getAttribute("direction").strip())) {
                        return DialogInfo.Lamp.RINGING;
                    }
                    busy = true;
                }
                default -> throw new IllegalArgumentException("unknown dialog state: " + state);
            }
        }
        return busy ? DialogInfo.Lamp.BUSY : DialogInfo.Lamp.IDLE;
    }

    private static String stateOf(Element dialog) {
        for (Node n = dialog.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "state".equals(e.getLocalName()) && NAMESPACE.equals(e.getNamespaceURI())) {
                return e.getTextContent().strip();
            }
        }
        throw new IllegalArgumentException("a dialog without a state: " + dialog.getAttribute("id"));
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // no DTD at all, so no entity expansion (XXE, billion laughs) and no fetch of anything external
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // the default handler prints parse errors to stderr; the caller logs them once, with the line named
            b.setErrorHandler(new DefaultHandler());
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no safe XML parser: " + e.getMessage(), e);
        }
    }
}
